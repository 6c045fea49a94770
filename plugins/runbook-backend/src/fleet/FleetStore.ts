import type {
  FleetAction,
  FleetChild,
  FleetChildStatus,
  FleetRun,
  FleetRunStatus,
  RunApproval,
  RunStatus,
} from '@nexus-cos/plugin-runbook-common';
import { Knex } from 'knex';

/** One service of a stored fleet run; `position` is its place in the plan. */
export type StoredFleetChild = FleetChild & { position: number; depth: number };

/** A fleet run with what its runner needs. */
export type StoredFleetRun = Omit<FleetRun, 'children'> & {
  children: StoredFleetChild[];
  owner: string;
};

export type NewFleetRun = {
  id: string;
  action: FleetAction;
  scope: string;
  actor: string;
  reason?: string;
  gracePeriodSeconds?: number;
  owner: string;
  leaseExpiresAt: number;
  createdAt: number;
  children: Array<
    Pick<StoredFleetChild, 'entityRef' | 'depth' | 'status' | 'reason'>
  >;
  /** A fleet run that waits for approval before its runner starts it. */
  approval?: RunApproval;
};

type FleetRow = {
  id: string;
  scope_ref: string;
  action: string;
  status: string;
  actor: string;
  reason: string | null;
  input: string;
  error: string | null;
  cancel_requested: boolean | number;
  owner: string;
  lease_expires_at: string | number;
  created_at: string | number;
  started_at: string | number | null;
  finished_at: string | number | null;
  approval: string | null;
};

type ChildRow = {
  fleet_id: string;
  position: number;
  entity_ref: string;
  depth: number;
  status: string;
  run_id: string | null;
  reason: string | null;
  /** The status of its run, joined from `runbook_runs`. */
  run_status?: string | null;
};

const ACTIVE: FleetRunStatus[] = ['pending', 'running'];
/** A fleet run awaiting approval already covers its services: no other may start. */
const COVERING: FleetRunStatus[] = [...ACTIVE, 'awaiting-approval'];

const iso = (ms: string | number | null) =>
  ms === null ? undefined : new Date(Number(ms)).toISOString();

function toChild(row: ChildRow): StoredFleetChild {
  return {
    entityRef: row.entity_ref,
    position: Number(row.position),
    depth: Number(row.depth),
    ...(row.run_id ? { runId: row.run_id } : {}),
    // A child's run is the truth about it as soon as it has one.
    status: (row.run_status ?? row.status) as FleetChildStatus,
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

function toFleet(row: FleetRow, children: ChildRow[]): StoredFleetRun {
  const input = JSON.parse(row.input) as { gracePeriodSeconds?: number };
  const stored = children.map(toChild);
  return {
    id: row.id,
    action: row.action as FleetAction,
    scope: row.scope_ref,
    status: row.status as FleetRunStatus,
    actor: row.actor,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(input.gracePeriodSeconds === undefined
      ? {}
      : { gracePeriodSeconds: input.gracePeriodSeconds }),
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    ...(row.error ? { error: row.error } : {}),
    cancelRequested: Boolean(row.cancel_requested),
    plan: stored.map(c => ({ entityRef: c.entityRef, depth: c.depth })),
    children: stored,
    owner: row.owner,
    ...(row.approval ? { approval: JSON.parse(row.approval) } : {}),
  };
}

/** Fleet runs, their plans and children, and the lease of the backend that drives each. */
export class FleetStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records a fleet run unless an active one of `conflicting` actions covers one of its
   * services; then answers that one and nothing is written.
   */
  async insert(
    run: NewFleetRun,
    conflicting: readonly FleetAction[],
  ): Promise<{ conflict?: StoredFleetRun }> {
    return this.db.transaction(async trx => {
      const refs = run.children.map(c => c.entityRef);
      const busy =
        conflicting.length > 0 &&
        (await trx('runbook_fleet_children as c')
          .join('runbook_fleet_runs as f', 'f.id', 'c.fleet_id')
          .whereIn('f.status', COVERING)
          .whereIn('f.action', conflicting)
          .whereIn('c.entity_ref', refs)
          .select('f.id')
          .first());
      if (busy) return { conflict: await this.get(busy.id, trx) };
      await trx<FleetRow>('runbook_fleet_runs').insert({
        id: run.id,
        scope_ref: run.scope,
        action: run.action,
        status: run.approval ? 'awaiting-approval' : 'pending',
        approval: run.approval ? JSON.stringify(run.approval) : null,
        actor: run.actor,
        reason: run.reason ?? null,
        input: JSON.stringify(
          run.gracePeriodSeconds === undefined
            ? {}
            : { gracePeriodSeconds: run.gracePeriodSeconds },
        ),
        owner: run.owner,
        lease_expires_at: run.leaseExpiresAt,
        created_at: run.createdAt,
      });
      await trx<ChildRow>('runbook_fleet_children').insert(
        run.children.map((c, position) => ({
          fleet_id: run.id,
          position,
          entity_ref: c.entityRef,
          depth: c.depth,
          status: c.status,
          reason: c.reason ?? null,
        })),
      );
      return {};
    });
  }

  async get(
    id: string,
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<StoredFleetRun | undefined> {
    const row = await trx<FleetRow>('runbook_fleet_runs').where({ id }).first();
    return row && toFleet(row, await this.#children([id], trx));
  }

  /** Newest first, optionally of one scope. */
  async list(scope: string | undefined, limit: number) {
    const query = this.db<FleetRow>('runbook_fleet_runs')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    const rows = await (scope ? query.where({ scope_ref: scope }) : query);
    const children = await this.#children(rows.map(r => r.id));
    return rows.map(row =>
      toFleet(
        row,
        children.filter(c => c.fleet_id === row.id),
      ),
    );
  }

  async #children(
    ids: string[],
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<ChildRow[]> {
    if (ids.length === 0) return [];
    return trx('runbook_fleet_children as c')
      .leftJoin('runbook_runs as r', 'r.id', 'c.run_id')
      .whereIn('c.fleet_id', ids)
      .select('c.*', 'r.status as run_status')
      .orderBy([
        { column: 'c.fleet_id', order: 'asc' },
        { column: 'c.position', order: 'asc' },
      ]);
  }

  /** Fleet runs waiting for approval, oldest first. */
  async listAwaiting(): Promise<StoredFleetRun[]> {
    const rows = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ status: 'awaiting-approval' })
      .orderBy('created_at');
    const children = await this.#children(rows.map(r => r.id));
    return rows.map(row =>
      toFleet(
        row,
        children.filter(c => c.fleet_id === row.id),
      ),
    );
  }

  /**
   * Stores a new state of a waiting fleet run's approval, unless it stopped waiting or
   * another decision came in since `seen` decisions. With `lease`, it also stops waiting:
   * the backend that approved it drives it.
   */
  async decide(
    id: string,
    approval: RunApproval,
    seen: number,
    lease?: { owner: string; expiresAt: number },
  ): Promise<boolean> {
    const row = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, status: 'awaiting-approval' })
      .first();
    const current: RunApproval | undefined =
      row?.approval && JSON.parse(row.approval);
    if (!current || current.approvals.length !== seen) return false;
    // Compare-and-set on the approval as read: a decision that came in meanwhile wins.
    const updated = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, status: 'awaiting-approval', approval: row!.approval })
      .update({
        approval: JSON.stringify(approval),
        ...(lease
          ? {
              status: 'pending',
              owner: lease.owner,
              lease_expires_at: lease.expiresAt,
            }
          : {}),
      });
    return updated === 1;
  }

  /** Ends a waiting fleet run without running it: rejected, expired or withdrawn. */
  async endWaiting(
    id: string,
    outcome: {
      status: 'rejected' | 'expired' | 'cancelled';
      at: number;
      error: string;
      approval: RunApproval;
    },
  ): Promise<boolean> {
    const updated = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, status: 'awaiting-approval' })
      .update({
        status: outcome.status,
        finished_at: outcome.at,
        error: outcome.error,
        approval: JSON.stringify(outcome.approval),
      });
    if (updated === 1) {
      await this.db<ChildRow>('runbook_fleet_children')
        .where({ fleet_id: id, status: 'not-started' })
        .update({ reason: outcome.error });
    }
    return updated === 1;
  }

  async markRunning(id: string, at: number): Promise<void> {
    await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, status: 'pending' })
      .update({ status: 'running', started_at: at });
  }

  /** Records what became of one service. */
  async updateChild(
    id: string,
    position: number,
    change: { status: FleetChildStatus; runId?: string; reason?: string },
  ): Promise<void> {
    await this.db<ChildRow>('runbook_fleet_children')
      .where({ fleet_id: id, position })
      .update({
        status: change.status,
        ...(change.runId ? { run_id: change.runId } : {}),
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
      });
  }

  /** Extends the lease its owner still holds; false when another backend took it over. */
  async renewLease(
    id: string,
    owner: string,
    expiresAt: number,
  ): Promise<boolean> {
    const updated = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, owner })
      .whereIn('status', ACTIVE)
      .update({ lease_expires_at: expiresAt });
    return updated === 1;
  }

  /**
   * Takes over the active fleet runs whose lease expired (their backend stopped), one
   * compare-and-set each, so that only one backend takes each of them.
   */
  async claimExpired(
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<string[]> {
    const expired = await this.db<FleetRow>('runbook_fleet_runs')
      .whereIn('status', ACTIVE)
      .andWhere('lease_expires_at', '<', now)
      .select('id', 'owner');
    const claimed: string[] = [];
    for (const row of expired) {
      const updated = await this.db<FleetRow>('runbook_fleet_runs')
        .where({ id: row.id, owner: row.owner })
        .whereIn('status', ACTIVE)
        .andWhere('lease_expires_at', '<', now)
        .update({ owner, lease_expires_at: expiresAt });
      if (updated === 1) claimed.push(row.id);
    }
    return claimed;
  }

  async requestCancel(id: string): Promise<void> {
    await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id })
      .whereIn('status', ACTIVE)
      .update({ cancel_requested: true });
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const row = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id })
      .select('cancel_requested')
      .first();
    return Boolean(row?.cancel_requested);
  }

  /** Ends a fleet run once, if `owner` still drives it. */
  async finish(
    id: string,
    owner: string,
    outcome: { status: FleetRunStatus; at: number; error?: string },
  ): Promise<boolean> {
    const updated = await this.db<FleetRow>('runbook_fleet_runs')
      .where({ id, owner })
      .whereIn('status', ACTIVE)
      .update({
        status: outcome.status,
        finished_at: outcome.at,
        error: outcome.error ?? null,
      });
    return updated === 1;
  }
}

/** Whether a child's status is final: a skip, or its run ended. */
export const childEnded = (status: FleetChildStatus) =>
  status === 'skipped' ||
  (['succeeded', 'failed', 'rolled-back', 'cancelled'] as RunStatus[]).includes(
    status as RunStatus,
  );
