import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** A logger that keeps what the task log would show, as "level: message" lines. */
export function createTaskLog(): { logger: LoggerService; lines: string[] } {
  const lines: string[] = [];
  const logger: LoggerService = {
    info: message => void lines.push(`info: ${message}`),
    warn: message => void lines.push(`warn: ${message}`),
    error: message => void lines.push(`error: ${message}`),
    debug: message => void lines.push(`debug: ${message}`),
    child: () => logger,
  };
  return { logger, lines };
}

/**
 * A scaffolder action context whose checkpoints live in `checkpoints`: pass the same map
 * to a second context to act out a task resumed by `scaffolder.taskRecovery`.
 */
export function createTestContext(
  input: Record<string, unknown>,
  options: { checkpoints?: Map<string, unknown>; signal?: AbortSignal } = {},
) {
  const { logger, lines } = createTaskLog();
  const checkpoints = options.checkpoints ?? new Map<string, unknown>();
  const checkpoint: ActionContext<any>['checkpoint'] = async ({ key, fn }) => {
    if (!checkpoints.has(key)) checkpoints.set(key, await fn());
    return checkpoints.get(key) as any;
  };
  const ctx: ActionContext<any, any> = {
    ...createMockActionContext({
      input: input as any,
      logger,
      task: { id: 'task-1' },
    }),
    step: { id: 'deploy', name: 'Deploy' },
    signal: options.signal,
    checkpoint,
  };
  return { ctx, lines, checkpoints };
}
