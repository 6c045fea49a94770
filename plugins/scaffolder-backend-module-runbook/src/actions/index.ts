import type { RunbookActionOptions } from './runOperation';
import { createScaleAction } from './scale';

export type { RunbookActionOptions, RunOperationClient } from './runOperation';

/** Every runbook scaffolder action. */
export function createRunbookActions(options: RunbookActionOptions) {
  return [createScaleAction(options)];
}
