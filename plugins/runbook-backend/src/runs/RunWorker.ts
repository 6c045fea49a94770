import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ActionLimits,
  RUNS_SIGNAL_CHANNEL,
  RunLogEntry,
  RunSignal,
  RunStatus,
  actionGuard,
} from '@nexus-cos/plugin-runbook-common';
import {
  ExecutorContext,
  PreparedChange,
  RunbookActionExecutor,
  RunbookActionExecutors,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import { AuditEntry, AuditTrail } from '../audit/AuditTrail';
import { redactInput, redactText } from '../audit/redact';
import { lockKeyOf } from './lockKey';
import { Knex } from 'knex';
import { Lock, LockStore } from './LockStore';
import { RunStore, StoredRun } from './RunStore';

class Cancelled extends Error {
  name = 'Cancelled';
}

const message = (error: unknown) =>
  redactText(error instanceof Error ? error.message : String(error));

/**
 * Executes admitted runs: prepare, apply, converge, undo on failure or cancel, then
 * audit and release the lock. While a run executes, its lock is renewed and a cancel
 * requested through any backend replica is picked up.
 */
export class RunWorker {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly o: {
      db: Knex;
      runs: RunStore;
      locks: LockStore;
      audit: AuditTrail;
      executors: RunbookActionExecutors;
      signals: SignalsService;
      logger: LoggerService;
      instanceId: string;
      lockTtlMs: number;
      pollIntervalMs: number;
    },
  ) {}

  /** Starts a run in the background. */
  start(run: StoredRun, limits: ActionLimits): void {
    this.#execute(run, limits).catch(error =>
      this.o.logger.error(`Run ${run.id} crashed: ${message(error)}`),
    );
  }

  /** Cancels a run of this process at once; other replicas see the flag in the database. */
  cancelLocal(runId: string): void {
    this.#running.get(runId)?.abort(new Cancelled('cancelled on request'));
  }

  /** Waits until no run of this process is executing (used at shutdown and in tests). */
  async idle(): Promise<void> {
    while (this.#running.size) await new Promise(r => setTimeout(r, 50));
  }

  /**
   * Ends the runs whose locks expired (their backend stopped): undoes what they prepared,
   * records the outcome and frees the lock.
   */
  async recoverExpired(
    limitsOf: (run: StoredRun) => ActionLimits,
  ): Promise<number> {
    const now = Date.now();
    const claimed = await this.o.locks.claimExpired(
      this.o.instanceId,
      now,
      now + this.o.lockTtlMs,
    );
    for (const lock of claimed) {
      const run = await this.o.runs.get(lock.runId);
      if (run && !run.finishedAt) {
        await this.#log(
          run,
          'warn',
          'The backend running this run stopped; rolling back',
        );
        const ctx = this.#context(
          run,
          limitsOf(run),
          new AbortController().signal,
        );
        const outcome = await this.#undo(
          run,
          run.prepared,
          ctx,
          'backend stopped mid-run',
          false,
        );
        await this.#finish(
          run,
          outcome,
          Date.parse(run.startedAt ?? run.createdAt),
          lock,
        );
      }
      await this.o.locks.release(lock);
    }
    return claimed.length;
  }

  async #execute(run: StoredRun, limits: ActionLimits): Promise<void> {
    const controller = new AbortController();
    this.#running.set(run.id, controller);
    const heartbeat = this.#heartbeat(run, controller);
    const startedAt = Date.now();
    let reported: Record<string, unknown> | undefined;
    const ctx = this.#context(run, limits, controller.signal, result => {
      reported = result;
    });
    const executor = this.#executorOf(run);
    let prepared: PreparedChange | undefined;
    let outcome: Outcome;
    try {
      await this.o.runs.markRunning(run.id, startedAt);
      await this.#audit(run, 'started', 'running');
      await this.#publish(run, 'running');
      prepared = await executor.prepare(run.target, run.input, ctx);
      await this.o.runs.savePrepared(run.id, prepared);
      throwIfAborted(controller.signal);
      await executor.apply(run.target, run.input, prepared, ctx);
      await this.#audit(run, 'step', 'applied', { before: prepared.before });
      throwIfAborted(controller.signal);
      const done = await executor.converge(
        run.target,
        run.input,
        prepared,
        ctx,
      );
      throwIfAborted(controller.signal);
      outcome = { status: 'succeeded', ...done, before: prepared.before };
      await this.#log(run, 'info', 'Succeeded');
    } catch (error) {
      const cause = controller.signal.aborted
        ? controller.signal.reason
        : error;
      const cancelled = cause instanceof Cancelled;
      await this.#log(run, cancelled ? 'warn' : 'error', message(cause));
      // A fresh signal: the undo must run to its end even though the run was aborted.
      const undoCtx = { ...ctx, signal: new AbortController().signal };
      outcome =
        cause instanceof RunReportError
          ? // A check that failed changed nothing; its report is the run's result.
            {
              status: 'failed',
              error: message(cause),
              before: prepared?.before,
              [cause.as]: cause.report,
            }
          : await this.#undo(run, prepared, undoCtx, message(cause), cancelled);
    } finally {
      clearInterval(heartbeat);
    }
    // A report kept along the way (an analysis that rolled the change back) stays.
    outcome.result ??= reported;
    try {
      await this.#finish(run, outcome, startedAt, this.#lockOf(run));
    } finally {
      // Already released with the outcome, unless writing it failed.
      await this.o.locks.release(this.#lockOf(run));
      this.#running.delete(run.id);
    }
  }

  async #undo(
    run: StoredRun,
    prepared: PreparedChange | undefined,
    ctx: ExecutorContext,
    reason: string,
    cancelled: boolean,
  ): Promise<Outcome> {
    const failed: RunStatus = cancelled ? 'cancelled' : 'failed';
    if (!prepared) return { status: failed, error: reason };
    if (!prepared.undo) {
      return {
        status: failed,
        error: `${reason}; this action cannot be undone`,
        before: prepared.before,
      };
    }
    try {
      await this.#log(run, 'info', 'Rolling back to the state before the run');
      await this.#executorOf(run).undo(run.target, prepared, ctx);
      await this.#log(run, 'info', 'Rolled back');
      return {
        status: cancelled ? 'cancelled' : 'rolled-back',
        error: reason,
        before: prepared.before,
        after: prepared.before,
      };
    } catch (undoError) {
      await this.#log(run, 'error', `Rollback failed: ${message(undoError)}`);
      return {
        status: 'failed',
        error: `${reason}; rollback failed: ${message(undoError)}`,
        before: prepared.before,
      };
    }
  }

  /**
   * Records the outcome, frees the lock and appends the terminal audit row in one
   * transaction, so that whoever sees the run ended also finds the entity free and the
   * row on the trail; then tells the auditor and signals it.
   */
  async #finish(
    run: StoredRun,
    outcome: Outcome,
    startedAt: number,
    lock: Omit<Lock, 'expiresAt'>,
  ): Promise<void> {
    const finishedAt = Date.now();
    const audited = await this.o.db.transaction(async trx => {
      const ended = await this.o.runs.finish(
        run.id,
        {
          status: outcome.status,
          at: finishedAt,
          error: outcome.error,
          after: outcome.after,
          result: outcome.result,
        },
        trx,
      );
      await this.o.locks.release(lock, trx);
      if (!ended) return undefined;
      return this.o.audit.recordWithin(
        trx,
        this.#entry(
          run,
          outcome.status as AuditedOutcome,
          outcome.error ?? outcome.status,
          {
            before: outcome.before,
            after: outcome.after,
            // The verdict of a report; the report itself stays with the run.
            ...(outcome.result?.verdict
              ? { verdict: outcome.result.verdict }
              : {}),
            // Four eyes: the final row names who asked and who approved.
            ...(run.approval
              ? {
                  requester: run.actor,
                  approvers: run.approval.approvals.map(a => a.actor),
                }
              : {}),
          },
          finishedAt - startedAt,
        ),
      );
    });
    if (!audited) return;
    await audited.publish();
    await this.#publish(run, outcome.status, outcome.error);
  }

  #heartbeat(run: StoredRun, controller: AbortController) {
    let renewAt = Date.now() + this.o.lockTtlMs / 3;
    return setInterval(async () => {
      try {
        if (Date.now() >= renewAt) {
          renewAt = Date.now() + this.o.lockTtlMs / 3;
          const held = await this.o.locks.renew(
            this.#lockOf(run),
            Date.now() + this.o.lockTtlMs,
          );
          if (!held)
            controller.abort(new Error('The run lost its entity lock'));
        }
        if (await this.o.runs.isCancelRequested(run.id)) {
          controller.abort(new Cancelled('cancelled on request'));
        }
      } catch (error) {
        this.o.logger.warn(
          `Heartbeat of run ${run.id} failed: ${message(error)}`,
        );
      }
    }, this.o.pollIntervalMs);
  }

  #lockOf(run: StoredRun) {
    return {
      entityRef: lockKeyOf(run),
      runId: run.id,
      owner: this.o.instanceId,
    };
  }

  /** The action's executor; the record holds one per action, typed by name. */
  #executorOf(run: StoredRun): RunbookActionExecutor {
    return this.o.executors[run.action] as RunbookActionExecutor;
  }

  #context(
    run: StoredRun,
    limits: ActionLimits,
    signal: AbortSignal,
    report: (result: Record<string, unknown>) => void = () => {},
  ): ExecutorContext {
    return {
      limits,
      signal,
      log: (text, level = 'info') => this.#log(run, level, text),
      report,
      run: { id: run.id, actor: run.actor },
    };
  }

  async #log(
    run: StoredRun,
    level: RunLogEntry['level'],
    text: string,
  ): Promise<void> {
    const safe = redactText(text);
    await this.o.runs.appendLog(run.id, level, safe, Date.now());
    await this.#publish(run, undefined, safe);
  }

  async #audit(
    run: StoredRun,
    event: 'started' | 'step',
    outcome: string,
    summary?: Record<string, unknown>,
  ) {
    await this.o.audit.record(this.#entry(run, event, outcome, summary));
  }

  #entry(
    run: StoredRun,
    event: 'started' | 'step' | AuditedOutcome,
    outcome: string,
    summary?: Record<string, unknown>,
    durationMs?: number,
  ): AuditEntry {
    return {
      event,
      actor: run.actor,
      entityRef: run.entityRef,
      action: run.action,
      runId: run.id,
      outcome,
      params: redactInput(run.action, run.input),
      summary: summary && JSON.parse(JSON.stringify(summary)),
      durationMs,
      severity: actionGuard(run.action, run.input)?.auditSeverity,
    };
  }

  async #publish(run: StoredRun, status?: RunStatus, text?: string) {
    const signal: RunSignal = {
      runId: run.id,
      entityRef: run.entityRef,
      ...(status ? { status } : {}),
      ...(text ? { message: text } : {}),
    };
    try {
      await this.o.signals.publish({
        recipients: { type: 'broadcast' },
        channel: RUNS_SIGNAL_CHANNEL,
        message: signal,
      });
    } catch (error) {
      // Progress signals are best effort; polling clients still see the run.
      this.o.logger.debug(`Could not signal run ${run.id}: ${message(error)}`);
    }
  }
}

type AuditedOutcome = 'succeeded' | 'failed' | 'rolled-back' | 'cancelled';

type Outcome = {
  status: RunStatus;
  error?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  result?: Record<string, unknown>;
};

function throwIfAborted(signal: AbortSignal) {
  if (signal.aborted) throw signal.reason;
}
