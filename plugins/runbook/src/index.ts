/**
 * Runbook frontend plugin for the legacy frontend system; `/alpha` has the new system.
 *
 * @packageDocumentation
 */
export {
  runbookPlugin,
  EntityRunbookBackupsContent,
  EntityRunbookContent,
  EntityRunbookFleetCard,
  EntityRunbookDrDrillsContent,
  EntityRunbookHealthCard,
  EntityRunbookHealthContent,
  EntityRunbookIncidentsCard,
  EntityRunbookIncidentsContent,
  EntityRunbookOnCallCard,
  EntityRunbookSecurityContent,
  EntityRunbookServiceCard,
  EntityRunbookSystemHealthCard,
  EntityRunbookSystemIncidentsCard,
  RunbookAuditPage,
  RunbookMaintenancePage,
  RunbookOverviewPage,
  RunbookRunPage,
  RunbookSecurityPage,
  RunbookEntityPickerFieldExtension,
} from './plugin';
export type { RunbookEntityPickerOptions } from './components/RunbookEntityPicker';
export { isRunbookAvailable } from './isRunbookAvailable';
export { isOnCallAvailable } from './isOnCallAvailable';
export { isSystemWithServices } from './isSystemWithServices';
export { isFleetScope } from './isFleetScope';
export { isDrTarget } from './isDrTarget';
export { runbookApiRef } from './api';
export type { RunbookApi } from './api';
