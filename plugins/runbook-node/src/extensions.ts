import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RunbookActionExecutor } from './executor';

/** Lets a module replace the built-in Kubernetes executor. @public */
export interface RunbookActionExecutorExtensionPoint {
  setExecutor(executor: RunbookActionExecutor): void;
}

/** @public */
export const runbookActionExecutorExtensionPoint =
  createExtensionPoint<RunbookActionExecutorExtensionPoint>({
    id: 'runbook.action-executor',
  });
