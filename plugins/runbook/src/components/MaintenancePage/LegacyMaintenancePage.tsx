import { LegacyPage } from '../LegacyPage';
import { MaintenancePage } from './MaintenancePage';

/** The maintenance calendar with its own header, for the legacy frontend system. */
export const LegacyMaintenancePage = () => (
  <LegacyPage title="Routine maintenance">
    <MaintenancePage />
  </LegacyPage>
);
