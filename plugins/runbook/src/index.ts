/**
 * Runbook frontend plugin for the legacy frontend system; `/alpha` has the new system.
 *
 * @packageDocumentation
 */
export {
  runbookPlugin,
  EntityRunbookContent,
  EntityRunbookServiceCard,
} from './plugin';
export { isRunbookAvailable } from './isRunbookAvailable';
export { runbookApiRef } from './api';
export type { RunbookApi } from './api';
