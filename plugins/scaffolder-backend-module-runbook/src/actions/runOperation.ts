import { InputError } from '@backstage/errors';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  MAX_REASON_LENGTH,
  parseRunRequest,
  RunbookClient,
  RunRequest,
} from '@nexus-cos/plugin-runbook-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { describeError } from './describeError';
import { followRun } from './followRun';

/** The engine calls a runbook action makes. */
export type RunOperationClient = Pick<
  RunbookClient,
  'startRun' | 'getRun' | 'getRunLog' | 'cancelRun'
>;

/** What every runbook scaffolder action needs from the module. */
export type RunbookActionOptions = {
  /** A client of the runbook backend that acts on behalf of these credentials. */
  clientFor(credentials: BackstageCredentials): RunOperationClient;
  /** The portal's `app.baseUrl`, for links to the run and audit pages. */
  appBaseUrl: string;
  /** How often the run's status and log are polled; defaults to 1000 ms. */
  pollIntervalMs?: number;
};

/** What an action asks the engine to do, with the run request's own fields. */
export type OperationRequest = {
  entityRef: string;
  request: RunRequest;
};

/**
 * Runs one runbook operation for a scaffolder step: starts it (once, even when the task is
 * resumed), follows its log into the task log, cancels it when the task is cancelled, and
 * fails the step unless it succeeded.
 */
export async function runOperation(
  ctx: ActionContext<any, any>,
  options: RunbookActionOptions,
  { entityRef, request }: OperationRequest,
): Promise<void> {
  const stepId = ctx.step?.id;
  if (!stepId) {
    throw new Error(
      'runbook actions must run as a template step with an id, which makes them safe to resume',
    );
  }
  const validRequest = validate(entityRef, {
    ...request,
    reason: withOrigin(request.reason, ctx, stepId),
  });
  if (ctx.signal?.aborted) {
    throw new Error(
      `The task was cancelled before ${request.action} started on ${entityRef}`,
    );
  }

  // A step with `each` runs once per item, and each item is a run of its own.
  const item = ctx.each ? `[${String(ctx.each.key)}]` : '';
  const client = options.clientFor(await ctx.getInitiatorCredentials());
  let startedNow = false;
  const runId = await ctx.checkpoint({
    key: `runbook.runId${item}`,
    fn: async () => {
      startedNow = true;
      const { run, replayed } = await startRun(
        client,
        entityRef,
        validRequest,
        {
          // Stable across resumes, so a retried start gets the first run back, not a second run.
          idempotencyKey: `${ctx.task.id}:${stepId}${item}`,
          initiator: 'scaffolder',
        },
      );
      ctx.logger.info(
        replayed
          ? `Resuming run ${run.id}: ${request.action} on ${entityRef} was already started by this step`
          : `Started run ${run.id}: ${request.action} on ${entityRef}`,
      );
      return run.id;
    },
  });
  if (!startedNow) {
    ctx.logger.info(
      `Resuming run ${runId}: ${request.action} on ${entityRef} was started before the task was resumed`,
    );
  }

  const runUrl = `${options.appBaseUrl}/runbook/runs/${encodeURIComponent(
    runId,
  )}`;
  const auditUrl = `${
    options.appBaseUrl
  }/runbook/audit?run=${encodeURIComponent(runId)}`;
  ctx.logger.info(`Follow the run at ${runUrl}`);

  const run = await followRun(ctx, client, runId, {
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });

  if (run.status !== 'succeeded') {
    ctx.logger.error(`Audit entries of the run: ${auditUrl}`);
    throw new Error(
      `Run ${runId} (${request.action} on ${entityRef}) ended ${run.status}${
        run.error ? `: ${run.error}` : ''
      }`,
    );
  }
  // A report that found the service failing fails the step, as a smoke test should.
  const failed = failedChecks(run.result);
  if (failed) {
    ctx.logger.error(`The run's report: ${runUrl}`);
    throw new Error(
      `Run ${runId} (${request.action} on ${entityRef}) found problems: ${failed}`,
    );
  }
  ctx.output('runId', runId);
  ctx.output('status', run.status);
  ctx.output('runUrl', runUrl);
  ctx.output('auditUrl', auditUrl);
  if (run.after) {
    // Step outputs must be plain records; a JSON copy is one whichever realm parsed the answer.
    ctx.output('summary', JSON.parse(JSON.stringify(run.after)));
  }
}

/** The failing checks of a report whose verdict is `fail`, in one line; else undefined. */
function failedChecks(result: Record<string, unknown> | undefined) {
  if (result?.verdict !== 'fail') return undefined;
  const checks = (result.checks ?? []) as Array<{
    title: string;
    status: string;
    evidence: string[];
  }>;
  return (
    checks
      .filter(c => c.status === 'fail')
      .map(c => `${c.title}: ${c.evidence[0] ?? 'failed'}`)
      .join('; ') || 'verdict fail'
  );
}

/**
 * The reason with the template, task and step it came from, so that the run and its audit
 * trail name the template. Stable across resumes, as the idempotency key needs.
 */
function withOrigin(
  reason: string | undefined,
  ctx: ActionContext<any, any>,
  stepId: string,
): string | undefined {
  const template = ctx.templateInfo?.entityRef;
  if (!template) return reason;
  const origin = `${template}, task ${ctx.task.id}, step ${stepId}`;
  if (!reason) return `(${origin})`;
  const room = MAX_REASON_LENGTH - origin.length - 3;
  return `${reason.slice(0, Math.max(room, 0))} (${origin})`;
}

/** Applies -common's rules, so that a bad input fails before anything runs. */
function validate(entityRef: string, request: RunRequest): RunRequest {
  const parsed = parseRunRequest(request);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${request.action} request for ${entityRef}: ${parsed.issues
        .map(issue => `${issue.field}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return parsed.request;
}

async function startRun(
  client: RunOperationClient,
  entityRef: string,
  request: RunRequest,
  options: { idempotencyKey: string; initiator: 'scaffolder' },
) {
  try {
    return await client.startRun(entityRef, request, options);
  } catch (error) {
    // The engine's answer names the field or the limit, or says who holds the lock.
    throw new Error(
      `Could not start ${request.action} on ${entityRef}: ${describeError(
        error,
      )}`,
    );
  }
}
