import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { ResponseError } from '@backstage/errors';
import {
  Run,
  TERMINAL_RUN_STATUSES,
  describeAwaiting,
} from '@nexus-cos/plugin-runbook-common';
import { describeError } from './describeError';
import type { RunOperationClient } from './runOperation';

/**
 * Consecutive failed polls tolerated before giving up on a run. The engine's runs survive
 * a backend restart, so a step should too: about half a minute at the default interval.
 */
const TOLERATED_POLL_FAILURES = 30;

/**
 * Polls a run until it ends, writing each new log entry to the task log at its level, and
 * asks the engine to cancel the run when the task is cancelled. While the run awaits
 * approval the log says by whom, again whenever an approval comes in.
 */
export async function followRun(
  ctx: ActionContext<any, any>,
  client: RunOperationClient,
  runId: string,
  options: { pollIntervalMs: number },
): Promise<Run> {
  let after: number | undefined;
  let failures = 0;
  let cancelRequested = false;
  let waitingFor: string | undefined;
  const requestCancel = () => {
    if (cancelRequested) return;
    cancelRequested = true;
    ctx.logger.warn(`The task was cancelled: cancelling run ${runId}`);
    client.cancelRun(runId).catch(error => {
      ctx.logger.error(`Could not cancel run ${runId}: ${error}`);
    });
  };
  ctx.signal?.addEventListener('abort', requestCancel);
  try {
    for (;;) {
      if (ctx.signal?.aborted) requestCancel();
      try {
        // Status first: every entry written before the run ended is in the log read after it.
        const run = await client.getRun(runId);
        for (;;) {
          const { items } = await client.getRunLog(runId, { after });
          if (items.length === 0) break;
          for (const entry of items) {
            ctx.logger[entry.level](entry.message);
            after = entry.seq;
          }
        }
        failures = 0;
        if (run.status === 'awaiting-approval' && run.approval) {
          const waiting = describeAwaiting(run.approval);
          if (waiting !== waitingFor)
            ctx.logger.info(`Run ${runId} is ${waiting}`);
          waitingFor = waiting;
        }
        if (TERMINAL_RUN_STATUSES.includes(run.status)) {
          ctx.logger.info(`Run ${runId} ended ${run.status}`);
          return run;
        }
      } catch (error) {
        failures += 1;
        if (!isTransient(error) || failures > TOLERATED_POLL_FAILURES) {
          throw new Error(
            `Could not follow run ${runId}: ${describeError(error)}`,
          );
        }
        ctx.logger.warn(
          `Could not read run ${runId} (${describeError(error)}); trying again`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, options.pollIntervalMs));
    }
  } finally {
    ctx.signal?.removeEventListener('abort', requestCancel);
  }
}

/** Network errors and 5xx answers pass, for example while the runbook backend restarts. */
function isTransient(error: unknown): boolean {
  return error instanceof ResponseError
    ? error.statusCode >= 500
    : error instanceof TypeError; // what fetch throws when it cannot connect
}
