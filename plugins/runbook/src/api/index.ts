export { runbookApiRef } from './runbookApiRef';
export type { RunbookApi } from './runbookApiRef';
export { runbookApiFactory } from './runbookApiFactory';
