import { Knex } from 'knex';
import type {
  Run,
  RunApproval,
  RunbookActionName,
  RunLogEntry,
  RunStatus,
} from '@nexus-cos/plugin-runbook-common';
import type {
  PreparedChange,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';

/** A run with what the engine needs to continue or undo it. */
export type StoredRun = Run & {
  target: RunbookTarget;
  prepared?: PreparedChange;
};

export type NewRun = Pick<
  Run,
  'id' | 'entityRef' | 'action' | 'input' | 'actor' | 'reason'
> & {
  target: RunbookTarget;
  createdAt: number;
  /** A run that waits for approval before it may take the lock and execute. */
  approval?: RunApproval;
};

type RunRow = {
  id: string;
  entity_ref: string;
  action: string;
  input: string;
  status: string;
  actor: string;
  reason: string | null;
  target: string;
  prepared: string | null;
  before_summary: string | null;
  after_summary: string | null;
  result: string | null;
  approval: string | null;
  error: string | null;
  cancel_requested: boolean | number;
  created_at: string | number;
  started_at: string | number | null;
  finished_at: string | number | null;
};

const ACTIVE: RunStatus[] = ['awaiting-approval', 'pending', 'running'];

const iso = (ms: string | number | null) =>
  ms === null ? undefined : new Date(Number(ms)).toISOString();
const json = (text: string | null) =>
  text === null ? undefined : JSON.parse(text);

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    action: row.action as RunbookActionName,
    input: JSON.parse(row.input),
    status: row.status as RunStatus,
    actor: row.actor,
    reason: row.reason ?? undefined,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    error: row.error ?? undefined,
    before: json(row.before_summary),
    after: json(row.after_summary),
    result: json(row.result),
    approval: json(row.approval),
    cancelRequested: Boolean(row.cancel_requested),
    target: JSON.parse(row.target),
    prepared: json(row.prepared),
  };
}

/** Runs and their step logs. */
export class RunStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Knex.Transaction, run: NewRun): Promise<void> {
    await trx<RunRow>('runbook_runs').insert({
      id: run.id,
      entity_ref: run.entityRef,
      action: run.action,
      input: JSON.stringify(run.input),
      status: run.approval ? 'awaiting-approval' : 'pending',
      approval: run.approval ? JSON.stringify(run.approval) : null,
      actor: run.actor,
      reason: run.reason ?? null,
      target: JSON.stringify(run.target),
      created_at: run.createdAt,
    });
  }

  async get(id: string): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>('runbook_runs').where({ id }).first();
    return row && toRun(row);
  }

  /** An entity's runs, newest first; with `action`, only that action's. */
  async listForEntity(
    entityRef: string,
    limit: number,
    action?: RunbookActionName,
  ): Promise<StoredRun[]> {
    const rows = await this.db<RunRow>('runbook_runs')
      .where({ entity_ref: entityRef, ...(action ? { action } : {}) })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRun);
  }

  /** The newest run of an entity among the given actions. */
  async latestOf(
    entityRef: string,
    actions: RunbookActionName[],
  ): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>('runbook_runs')
      .where({ entity_ref: entityRef })
      .whereIn('action', actions)
      .orderBy('created_at', 'desc')
      .first();
    return row && toRun(row);
  }

  /** The newest runs of an action that ended as `status`, across entities. */
  async endedAs(
    action: RunbookActionName,
    status: RunStatus,
    limit: number,
  ): Promise<StoredRun[]> {
    const rows = await this.db<RunRow>('runbook_runs')
      .where({ action, status })
      .orderBy('finished_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  async markRunning(id: string, at: number): Promise<void> {
    await this.db<RunRow>('runbook_runs')
      .where({ id, status: 'pending' })
      .update({ status: 'running', started_at: at });
  }

  async savePrepared(id: string, prepared: PreparedChange): Promise<void> {
    await this.db<RunRow>('runbook_runs')
      .where({ id })
      .update({
        prepared: JSON.stringify(prepared),
        before_summary: JSON.stringify(prepared.before),
      });
  }

  /** Ends a run once; a run that already ended keeps its outcome. */
  async finish(
    id: string,
    outcome: {
      status: RunStatus;
      at: number;
      error?: string;
      after?: Record<string, unknown>;
      result?: Record<string, unknown>;
      approval?: RunApproval;
    },
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<boolean> {
    const updated = await trx<RunRow>('runbook_runs')
      .where({ id })
      .whereIn('status', ACTIVE)
      .update({
        ...(outcome.approval
          ? { approval: JSON.stringify(outcome.approval) }
          : {}),
        status: outcome.status,
        finished_at: outcome.at,
        error: outcome.error ?? null,
        after_summary: outcome.after ? JSON.stringify(outcome.after) : null,
        result: outcome.result ? JSON.stringify(outcome.result) : null,
      });
    return updated === 1;
  }

  async requestCancel(id: string): Promise<void> {
    await this.db<RunRow>('runbook_runs')
      .where({ id })
      .whereIn('status', ACTIVE)
      .update({ cancel_requested: true });
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const row = await this.db<RunRow>('runbook_runs')
      .where({ id })
      .select('cancel_requested')
      .first();
    return Boolean(row?.cancel_requested);
  }

  /** Runs waiting for approval, oldest first. */
  async listAwaiting(): Promise<StoredRun[]> {
    const rows = await this.db<RunRow>('runbook_runs')
      .where({ status: 'awaiting-approval' })
      .orderBy('created_at');
    return rows.map(toRun);
  }

  /**
   * Stores a new state of a waiting run's approval, unless it stopped waiting or another
   * decision came in since `seen` decisions; with `approved`, it also stops waiting.
   */
  async decide(
    trx: Knex.Transaction,
    id: string,
    approval: RunApproval,
    seen: number,
    approved: boolean,
  ): Promise<boolean> {
    const row = await trx<RunRow>('runbook_runs')
      .where({ id, status: 'awaiting-approval' })
      .first();
    const current = row && (json(row.approval) as RunApproval | undefined);
    if (!current || current.approvals.length !== seen) return false;
    // Compare-and-set on the approval as read: a decision that came in meanwhile wins.
    const updated = await trx<RunRow>('runbook_runs')
      .where({ id, status: 'awaiting-approval', approval: row!.approval })
      .update({
        approval: JSON.stringify(approval),
        ...(approved ? { status: 'pending' } : {}),
      });
    return updated === 1;
  }

  async appendLog(
    runId: string,
    level: RunLogEntry['level'],
    message: string,
    at: number,
  ) {
    await this.db('runbook_run_log').insert({
      run_id: runId,
      level,
      message,
      at,
    });
  }

  async log(runId: string, after = 0): Promise<RunLogEntry[]> {
    const rows = await this.db('runbook_run_log')
      .where({ run_id: runId })
      .andWhere('seq', '>', after)
      .orderBy('seq');
    return rows.map(r => ({
      seq: Number(r.seq),
      at: new Date(Number(r.at)).toISOString(),
      level: r.level,
      message: r.message,
    }));
  }
}
