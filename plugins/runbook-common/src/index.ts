/**
 * Isomorphic parts of the runbook plugins: types, schemas, permissions and the HTTP client.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
