/**
 * The runbook backend plugin: authorized, locked, idempotent, durable and audited
 * runbook actions on the services of the catalog.
 *
 * @packageDocumentation
 */
export { runbookPlugin as default } from './plugin';
