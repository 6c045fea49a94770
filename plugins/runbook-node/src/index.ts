/**
 * Extension points of the runbook backend.
 *
 * @packageDocumentation
 */
export * from './executor';
export * from './extensions';
export * from './incidentProvider';
export * from './onCallProvider';
export * from './metricsProvider';
export * from './backupProvider';
export * from './maintenanceCheck';
export * from './actionParameters';
