/**
 * Isomorphic parts of the runbook plugins: types, schemas, permissions and the HTTP client.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './actions';
export * from './fleet';
export * from './types';
export * from './client/RunbookClient';
export * from './oncall';
export * from './incidents';
export * from './contacts/types';
export * from './health';
export * from './diagnostics/types';
export * from './analysis/types';
export * from './approvals/types';
export * from './approvals/describe';
export * from './backups';
export * from './maintenance';
export * from './security';
