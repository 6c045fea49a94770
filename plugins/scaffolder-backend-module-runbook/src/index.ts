/**
 * Scaffolder actions that run runbook operations through the runbook backend.
 *
 * @packageDocumentation
 */
export { scaffolderModuleRunbook as default } from './module';
