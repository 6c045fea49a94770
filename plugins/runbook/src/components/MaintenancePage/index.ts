export { MaintenancePage } from './MaintenancePage';
export { LegacyMaintenancePage } from './LegacyMaintenancePage';
