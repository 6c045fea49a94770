import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  FleetChildStatus,
  FleetRunStatus,
  MAX_REASON_LENGTH,
  TERMINAL_RUN_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import pLimit from 'p-limit';
import type { AuditTrail } from '../audit/AuditTrail';
import { redactText } from '../audit/redact';
import type { IdempotencyStore } from '../runs/IdempotencyStore';
import type { LiveStates } from '../runs/liveState';
import type { RunAdmission } from '../runs/RunAdmission';
import type { ResolvedRunbook, RunbookResolver } from '../runs/RunbookResolver';
import type { RunStore } from '../runs/RunStore';
import { notInCluster, targeting } from './clusters';
import { FleetActionSpec, fleetActionSpec } from './fleetActions';
import {
  FleetStore,
  StoredFleetChild,
  StoredFleetRun,
  childEnded,
} from './FleetStore';

const message = (error: unknown) =>
  redactText(error instanceof Error ? error.message : String(error));

/** The Idempotency-Key of one service's run: a fleet run never starts a service twice. */
export const childIdempotencyKey = (fleetId: string, position: number) =>
  `fleet-${fleetId}-${position}`;

/** What one driver of a fleet run has learnt while it runs. */
type DriveState = {
  /** The first service that failed, and how. */
  failure?: { entityRef: string; text: string };
  cancelled: boolean;
  /** Another backend took the fleet run over: this one stops writing to it. */
  leaseLost: boolean;
};

const unsuccessful = (status: FleetChildStatus) =>
  childEnded(status) && status !== 'succeeded' && status !== 'skipped';

/**
 * Drives fleet runs: one layer of the plan after the other, the services of a layer in
 * parallel up to `parallelism`, each as a run of the engine admitted with the caller's
 * credentials. The first failure or a cancel stops it before the next service starts;
 * runs already started are followed to their end. The backend that drives a fleet run
 * holds a lease on it; when it dies, another one takes the fleet run over, follows the
 * runs that were started and ends it with a report. It cannot start the rest: the
 * caller's credentials died with the backend.
 */
export class FleetRunner {
  constructor(
    private readonly o: {
      store: FleetStore;
      admission: RunAdmission;
      runs: RunStore;
      idempotency: IdempotencyStore;
      resolver: RunbookResolver;
      liveStates: LiveStates;
      audit: AuditTrail;
      logger: LoggerService;
      instanceId: string;
      leaseTtlMs: number;
      pollIntervalMs: number;
      parallelism: number;
    },
  ) {}

  /** Runs a recorded fleet run in the background, as `credentials`. */
  start(fleetId: string, credentials: BackstageCredentials): void {
    this.#guard(fleetId, state => this.#drive(fleetId, credentials, state));
  }

  /**
   * Takes over the fleet runs whose backend stopped (their lease expired) and finishes
   * each in the background; returns how many it took.
   */
  async recoverExpired(): Promise<number> {
    const now = Date.now();
    const claimed = await this.o.store.claimExpired(
      this.o.instanceId,
      now,
      now + this.o.leaseTtlMs,
    );
    for (const id of claimed) {
      this.#guard(id, state => this.#takeOver(id, state));
    }
    return claimed.length;
  }

  /** Runs `work` with a heartbeat that renews the lease and notices a cancel. */
  #guard(id: string, work: (state: DriveState) => Promise<void>) {
    const state: DriveState = { cancelled: false, leaseLost: false };
    let renewAt = Date.now() + this.o.leaseTtlMs / 3;
    const heartbeat = setInterval(async () => {
      try {
        if (Date.now() >= renewAt) {
          renewAt = Date.now() + this.o.leaseTtlMs / 3;
          const held = await this.o.store.renewLease(
            id,
            this.o.instanceId,
            Date.now() + this.o.leaseTtlMs,
          );
          if (!held) state.leaseLost = true;
        }
        if (await this.o.store.isCancelRequested(id)) state.cancelled = true;
      } catch (error) {
        this.o.logger.warn(
          `Heartbeat of fleet run ${id} failed: ${message(error)}`,
        );
      }
    }, this.o.pollIntervalMs);
    work(state)
      .catch(error =>
        this.o.logger.error(`Fleet run ${id} crashed: ${message(error)}`),
      )
      .finally(() => clearInterval(heartbeat));
  }

  async #drive(
    id: string,
    credentials: BackstageCredentials,
    state: DriveState,
  ): Promise<void> {
    const startedAt = Date.now();
    await this.o.store.markRunning(id, startedAt);
    const fleet = (await this.o.store.get(id))!;
    const spec = fleetActionSpec(fleet.action);
    if (!spec) {
      await this.#end(fleet, state, startedAt, {
        interrupted: `this backend has no ${fleet.action} action`,
      });
      return;
    }
    const limit = pLimit(this.o.parallelism);
    const depths = [...new Set(fleet.children.map(c => c.depth))].sort(
      (a, b) => a - b,
    );
    for (const depth of depths) {
      if (this.#halted(state)) break;
      const layer = fleet.children.filter(
        c => c.depth === depth && c.status === 'not-started',
      );
      await Promise.all(
        layer.map(child =>
          limit(() => this.#runChild(fleet, spec, child, credentials, state)),
        ),
      );
    }
    await this.#end(fleet, state, startedAt);
  }

  #halted(state: DriveState) {
    return Boolean(state.failure || state.cancelled || state.leaseLost);
  }

  /** One service: skip it if it is already done, else admit its run and follow it. */
  async #runChild(
    fleet: StoredFleetRun,
    spec: FleetActionSpec,
    child: StoredFleetChild,
    credentials: BackstageCredentials,
    state: DriveState,
  ): Promise<void> {
    if (await this.o.store.isCancelRequested(fleet.id)) state.cancelled = true;
    if (this.#halted(state)) return;
    const update = (change: Parameters<FleetStore['updateChild']>[2]) =>
      this.o.store.updateChild(fleet.id, child.position, change);
    const fail = (text: string) => {
      state.failure ??= { entityRef: child.entityRef, text };
    };

    const ref = parseEntityRef(child.entityRef);
    let runId: string;
    try {
      const resolved = targeting(
        await this.o.resolver.resolve(ref, credentials),
        fleet.cluster,
      );
      // The state may have changed since the plan was made: skip what is done by now.
      const skip =
        notInCluster(resolved, fleet.cluster) ??
        (await skipReason(spec, resolved, this.o.liveStates));
      if (skip) {
        await update({ status: 'skipped', reason: skip });
        return;
      }
      await update({ status: 'pending' });
      const admitted = await this.o.admission.requestRun({
        ref,
        credentials,
        idempotencyKey: childIdempotencyKey(fleet.id, child.position),
        body: childRequest(fleet, spec, resolved),
      });
      if (admitted.kind !== 'run') {
        throw new Error('the engine answered a dry run');
      }
      runId = admitted.run.id;
      await update({ status: admitted.run.status, runId });
    } catch (error) {
      const reason = message(error);
      await update({ status: 'failed', reason });
      fail(`${spec.childAction} of ${child.entityRef} was refused: ${reason}`);
      return;
    }
    const ended = await this.#follow(runId, state);
    if (!ended) return;
    await update({ status: ended.status });
    if (ended.status !== 'succeeded') {
      fail(
        `${spec.childAction} of ${child.entityRef} ended ${ended.status}${
          ended.error ? `: ${ended.error}` : ''
        } (run ${runId})`,
      );
    }
  }

  /** Polls a run until it ends; undefined when this backend lost the fleet run. */
  async #follow(runId: string, state: DriveState) {
    for (;;) {
      const run = await this.o.runs.get(runId);
      if (run && TERMINAL_RUN_STATUSES.includes(run.status)) return run;
      if (state.leaseLost) return undefined;
      await new Promise(r => setTimeout(r, this.o.pollIntervalMs));
    }
  }

  /**
   * Finishes a fleet run whose backend stopped: finds the run of a service that was
   * being admitted (by its idempotency key), follows every run that was started, then
   * ends it with a report of what was not started.
   */
  async #takeOver(id: string, state: DriveState): Promise<void> {
    const fleet = (await this.o.store.get(id))!;
    this.o.logger.warn(
      `Fleet run ${id} lost its backend; following its started runs`,
    );
    for (const child of fleet.children) {
      if (child.status !== 'pending' || child.runId) continue;
      const record = await this.o.idempotency.find(
        fleet.actor,
        childIdempotencyKey(id, child.position),
      );
      await this.o.store.updateChild(
        id,
        child.position,
        record
          ? { status: 'pending', runId: record.runId }
          : { status: 'not-started' },
      );
    }
    const current = (await this.o.store.get(id))!;
    await Promise.all(
      current.children
        .filter(c => c.runId && !childEnded(c.status))
        .map(async c => {
          const ended = await this.#follow(c.runId!, state);
          if (ended) {
            await this.o.store.updateChild(id, c.position, {
              status: ended.status,
            });
          }
        }),
    );
    await this.#end(current, state, Date.parse(current.createdAt), {
      interrupted: 'the backend running it stopped',
    });
  }

  /** Ends the fleet run with its report, audits it, and says why the rest did not start. */
  async #end(
    fleet: StoredFleetRun,
    state: DriveState,
    startedAt: number,
    options: { interrupted?: string } = {},
  ): Promise<void> {
    if (state.leaseLost) return;
    const current = (await this.o.store.get(fleet.id))!;
    const refs = (filter: (c: StoredFleetChild) => boolean) =>
      current.children.filter(filter).map(c => c.entityRef);
    const failed = current.children
      .filter(c => unsuccessful(c.status))
      .map(c => `${c.entityRef} (${c.status})`);
    const notStarted = current.children.filter(c => c.status === 'not-started');
    const cancelled = state.cancelled || Boolean(current.cancelRequested);

    let status: FleetRunStatus = 'succeeded';
    let why: string | undefined;
    let notStartedReason = '';
    if (options.interrupted && (notStarted.length || failed.length)) {
      status = 'failed';
      why = `The fleet run was interrupted: ${options.interrupted}${
        failed.length ? `; did not succeed: ${failed.join(', ')}` : ''
      }`;
      notStartedReason = options.interrupted;
    } else if (state.failure || failed.length) {
      status = 'failed';
      why = state.failure?.text ?? `Did not succeed: ${failed.join(', ')}`;
      notStartedReason = `${
        state.failure?.entityRef ?? failed[0]
      } failed first`;
    } else if (notStarted.length && cancelled) {
      status = 'cancelled';
      why = 'Cancelled on request';
      notStartedReason = 'the fleet run was cancelled';
    }
    for (const child of notStarted) {
      await this.o.store.updateChild(fleet.id, child.position, {
        status: 'not-started',
        reason: `not started: ${notStartedReason}`,
      });
    }
    const error =
      why &&
      `${why}.${
        notStarted.length
          ? ` Not started: ${notStarted.map(c => c.entityRef).join(', ')}.`
          : ''
      }${
        options.interrupted && notStarted.length
          ? ' Run it again to finish: services already done are skipped.'
          : ''
      }`;
    const at = Date.now();
    const ended = await this.o.store.finish(fleet.id, this.o.instanceId, {
      status,
      at,
      error,
    });
    if (!ended) return;
    await this.o.audit.record({
      event: status,
      actor: fleet.actor,
      entityRef: fleet.scope,
      action: fleet.action,
      runId: fleet.id,
      outcome: error ?? status,
      summary: {
        succeeded: refs(c => c.status === 'succeeded'),
        failed,
        skipped: refs(c => c.status === 'skipped'),
        notStarted: notStarted.map(c => c.entityRef),
      },
      durationMs: at - startedAt,
    });
  }
}

/** The run request of one service; the same every time, so a replay matches. */
function childRequest(
  fleet: StoredFleetRun,
  spec: FleetActionSpec,
  resolved: ResolvedRunbook,
) {
  const why = `${fleet.action} of ${fleet.scope} (fleet run ${fleet.id})`;
  return {
    action: spec.childAction,
    input: spec.childInput(fleet),
    ...(fleet.cluster ? { cluster: fleet.cluster } : {}),
    // The fleet run's own confirmation covers each production service.
    ...(spec.changesState && resolved.confirmText
      ? { confirm: resolved.confirmText }
      : {}),
    reason: (fleet.reason ? `${why}: ${fleet.reason}` : why).slice(
      0,
      MAX_REASON_LENGTH,
    ),
  };
}

/**
 * Why a service is skipped: its allow-list excludes the action (changes only; reads are
 * always offered), or it is already in the state the action leaves it in. A live state
 * that cannot be read is no reason: the service's own run then says what is wrong.
 */
export async function skipReason(
  spec: FleetActionSpec,
  resolved: ResolvedRunbook,
  liveStates: LiveStates,
): Promise<string | undefined> {
  if (
    spec.changesState &&
    !(resolved.offered as string[]).includes(spec.childAction)
  ) {
    return `the nexus-cos.io/runbook-actions allow-list of ${resolved.target.entityRef} does not include ${spec.childAction}`;
  }
  if (!spec.alreadyDone) return undefined;
  const live = await liveStates.current(resolved.target).catch(() => undefined);
  return live && spec.alreadyDone(live);
}
