/**
 * Extension points of the runbook backend.
 *
 * @packageDocumentation
 */
export * from './executor';
export * from './extensions';
