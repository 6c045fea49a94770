import { createHash, randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DryRunResult,
  Run,
  RunbookActionName,
  RunApproval,
  RunInitiator,
  RunRequest,
  actionDefinition,
  actionGuard,
  checkActionLimits,
  needsPerson,
  parseRunRequest,
  entityPermissionOf,
} from '@nexus-cos/plugin-runbook-common';
import type {
  RunbookActionExecutor,
  RunbookActionExecutors,
} from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import { canonicalJson } from '../audit/chain';
import { redactInput, withoutSecrets } from '../audit/redact';
import { IdempotencyKeyReusedError } from '../http/errors';
import { toApiRun } from './apiRun';
import { lastRunOfFamily } from './family';
import type { IdempotencyStore } from './IdempotencyStore';
import type { LiveStates } from './liveState';
import { ApprovalService, awaitingKey } from '../approvals/ApprovalService';
import { lockKeyOf } from './lockKey';
import { Lock, LockStore } from './LockStore';
import { actorOf } from '../http/credentials';
import {
  inCluster,
  requireCluster,
  type ResolvedRunbook,
  type RunbookResolver,
} from './RunbookResolver';
import type { RunPermissions } from './RunPermissions';
import type { RunStore, StoredRun } from './RunStore';
import type { RunWorker } from './RunWorker';

class ReplayOf extends Error {
  constructor(readonly runId: string) {
    super('replay');
  }
}

class LockHeld extends Error {
  constructor(readonly holder: Lock, readonly awaiting = false) {
    super('lock held');
  }
}

/** A recorded run, or the run an idempotent replay found first. */
type Admitted = { run: StoredRun } | { replayOf: string };

/** The outcome of a run request. */
export type Admission =
  | { kind: 'dry-run'; result: DryRunResult }
  | { kind: 'run'; run: Run; replayed: boolean };

/**
 * The run pipeline up to execution: validate, resolve, authorize, honour the
 * Idempotency-Key, check the live state, then lock and record the run in one transaction
 * and hand it to the worker. Independent of HTTP; errors carry their status codes.
 */
export class RunAdmission {
  constructor(
    private readonly o: {
      db: Knex;
      resolver: RunbookResolver;
      permissions: RunPermissions;
      executors: RunbookActionExecutors;
      liveStates: LiveStates;
      runs: RunStore;
      locks: LockStore;
      idempotency: IdempotencyStore;
      audit: AuditTrail;
      worker: RunWorker;
      instanceId: string;
      lockTtlMs: number;
      /** The backend's own credentials, for the catalog reads of scheduled runs. */
      ownCredentials: () => Promise<BackstageCredentials>;
      approvals: ApprovalService;
      /** A cluster call that got no answer or no connection as a 503 naming the cluster. */
      clusterError: (cluster: string, error: unknown) => unknown;
    },
  ) {}

  /** Runs cluster reads of the request; a cluster that drops out is a 503, not a 500. */
  async #onCluster<T>(cluster: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.o.clusterError(cluster, error);
    }
  }

  async requestRun(options: {
    ref: CompoundEntityRef;
    body: unknown;
    credentials: BackstageCredentials;
    idempotencyKey?: string;
    /** How the run was started, for approval rules; a person's, unless said. */
    initiator?: RunInitiator;
  }): Promise<Admission> {
    const parsed = parseRunRequest(options.body);
    if (!parsed.success) {
      throw new InputError(
        parsed.issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    const request = parsed.request;
    const definition = actionDefinition(request.action);
    const resolved = await this.o.resolver.resolve(
      options.ref,
      options.credentials,
      { cluster: request.cluster },
    );
    requireCluster(resolved, request.cluster);
    this.#checkStatically(request, resolved);
    if (resolved.drTarget?.unavailable) {
      throw new NotFoundError(resolved.drTarget.unavailable);
    }
    const { entityRef } = resolved.target;
    const shownInput = redactInput(request.action, request.input);
    const guard = actionGuard(request.action, request.input);
    const subject = {
      entityRef,
      action: request.action,
      params: shownInput,
      severity: guard?.auditSeverity,
    };
    if (needsPerson(definition)) {
      await this.o.permissions.requireChange(
        subject,
        options.credentials,
        'run',
        entityPermissionOf(definition),
      );
    } else {
      await this.o.permissions.requireRead(options.credentials);
    }
    if (guard?.permission) {
      await this.o.permissions.requireGuarded(
        guard.permission,
        guard.why,
        subject,
        options.credentials,
      );
    }
    const executor = this.o.executors[request.action] as RunbookActionExecutor;
    if (request.dryRun) {
      const diff = await this.#onCluster(resolved.target.cluster, () =>
        executor.dryRun(resolved.target, request.input, {
          limits: resolved.limits,
          signal: new AbortController().signal,
          log: async () => {},
          report: () => {},
        }),
      );
      return {
        kind: 'dry-run',
        result: { dryRun: true, action: request.action, diff },
      };
    }

    const actor = actorOf(options.credentials);
    const requestHash = createHash('sha256')
      .update(
        canonicalJson({
          entityRef,
          action: request.action,
          input: request.input,
          confirm: request.confirm,
          reason: request.reason,
          emergencyIncident: request.emergencyIncident,
          // Only when named: the hash of a request without one is what it always was.
          ...(request.cluster ? { cluster: request.cluster } : {}),
        }),
      )
      .digest('hex');
    if (options.idempotencyKey) {
      const replay = await this.#replay(
        actor,
        options.idempotencyKey,
        requestHash,
      );
      if (replay) return { kind: 'run', run: replay, replayed: true };
    }

    await this.#checkLiveState(request, resolved, executor);
    // Four eyes and freezes: the run may have to wait for a second person.
    const approval = await this.#onCluster(resolved.target.cluster, () =>
      this.o.approvals.requirementFor({
        resolved,
        request,
        initiator: options.initiator ?? 'person',
        executor,
      }),
    );

    // Secret values go to the cluster before anything is recorded; the run keeps a reference.
    const staged = await this.#onCluster(resolved.target.cluster, async () =>
      executor.stage?.(resolved.target, request.input),
    );
    const discard = () => staged?.discard().catch(() => undefined);
    let admitted: Admitted;
    try {
      admitted = await this.#admit(
        resolved,
        {
          ...request,
          input: withoutSecrets(request.action, staged?.input ?? request.input),
        } as RunRequest,
        actor,
        requestHash,
        options.idempotencyKey,
        approval,
      );
    } catch (error) {
      await discard();
      throw error;
    }
    if ('replayOf' in admitted) {
      await discard();
      const replay = await this.#replay(
        actor,
        options.idempotencyKey!,
        requestHash,
      );
      return { kind: 'run', run: replay!, replayed: true };
    }
    const run = admitted.run;
    await this.o.audit.record({
      event: 'requested',
      actor,
      entityRef: run.entityRef,
      action: run.action,
      runId: run.id,
      outcome: approval ? `awaiting approval (${approval.rule})` : 'accepted',
      params: shownInput,
      summary: {
        ...clusterOf(resolved),
        ...(request.reason ? { reason: request.reason } : {}),
        ...(approval?.emergency ? { emergency: approval.emergency } : {}),
      },
      severity: guard?.auditSeverity,
    });
    if (approval) {
      await this.o.approvals.requested(run);
    } else {
      this.o.worker.start(run, resolved.limits);
    }
    return { kind: 'run', run: toApiRun(run), replayed: false };
  }

  /**
   * A run the backend starts itself, on a schedule from its config: no person and no
   * permission check (whoever wrote the config decided), audited as `schedule:<id>`.
   * Everything else is as for a person's run: validation, live-state refusals, the
   * entity's lock. Guarded inputs (an in-place restore) are never run this way. Not
   * reachable over HTTP.
   */
  async requestScheduledRun(options: {
    ref: CompoundEntityRef;
    action: RunbookActionName;
    input: Record<string, unknown>;
    /** The schedule's id in config. */
    schedule: string;
    /** Where, when the entity runs in several clusters. */
    cluster?: string;
  }): Promise<Run> {
    const parsed = parseRunRequest({
      action: options.action,
      input: options.input,
    });
    if (!parsed.success) {
      throw new InputError(
        parsed.issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    const request = parsed.request;
    if (actionGuard(request.action, request.input)) {
      throw new InputError(
        `${request.action} with this input needs a person's confirmation; schedules may not run it`,
      );
    }
    const resolved = await this.o.resolver.resolve(
      options.ref,
      await this.o.ownCredentials(),
      { cluster: options.cluster },
    );
    requireCluster(resolved, options.cluster);
    this.#checkStatically(request, resolved, { scheduled: true });
    if (resolved.drTarget?.unavailable) {
      throw new NotFoundError(resolved.drTarget.unavailable);
    }
    const executor = this.o.executors[request.action] as RunbookActionExecutor;
    await this.#checkLiveState(request, resolved, executor);
    const actor = `schedule:${options.schedule}`;
    const admitted = await this.#admit(
      resolved,
      {
        ...request,
        input: withoutSecrets(request.action, request.input),
      } as RunRequest,
      actor,
      '',
      undefined,
    );
    if (!('run' in admitted)) throw new Error('a scheduled run has no key');
    const run = admitted.run;
    await this.o.audit.record({
      event: 'requested',
      actor,
      entityRef: run.entityRef,
      action: run.action,
      runId: run.id,
      outcome: 'accepted',
      params: redactInput(request.action, request.input),
      summary: { ...clusterOf(resolved), schedule: options.schedule },
    });
    this.o.worker.start(run, resolved.limits);
    return toApiRun(run);
  }

  /** The executor's refusals given the live state (409) and the input (400). */
  async #checkLiveState(
    request: RunRequest,
    resolved: ResolvedRunbook,
    executor: RunbookActionExecutor,
  ) {
    const live = resolved.drTarget
      ? undefined
      : await this.o.liveStates.current(resolved.target);
    const conflict = executor.refusal?.({
      target: resolved.target,
      live,
      lastRunOfFamily: await lastRunOfFamily(
        this.o.runs,
        resolved.target.entityRef,
        request.action,
      ),
    });
    if (conflict) throw new ConflictError(conflict);
    const badInput = await executor.inputRefusal?.(
      request.input,
      live,
      resolved.target,
    );
    if (badInput) throw new InputError(badInput);
  }

  #checkStatically(
    request: RunRequest,
    resolved: ResolvedRunbook,
    options: { scheduled?: boolean } = {},
  ) {
    if (!resolved.offered.includes(request.action)) {
      throw new InputError(
        `action: ${request.action} is not offered by the runbook of ${
          resolved.target.entityRef
        } (it offers ${resolved.offered.join(', ') || 'nothing'})`,
      );
    }
    const issues = checkActionLimits(request, resolved.limits);
    if (issues.length) {
      throw new InputError(
        issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    // A schedule is confirmed once, by whoever wrote it into the config.
    if (options.scheduled || request.dryRun) return;
    if (
      resolved.confirmText &&
      actionDefinition(request.action).changesState &&
      request.confirm !== resolved.confirmText
    ) {
      throw new InputError(
        `confirm: ${resolved.target.entityRef} is a production service; type its name "${resolved.confirmText}" to confirm`,
      );
    }
    const guard = actionGuard(request.action, request.input);
    const name = resolved.entity.metadata.name;
    if (guard?.confirm && request.confirm !== name) {
      throw new InputError(`confirm: ${guard.why}; type "${name}" to confirm`);
    }
    if (guard?.reason && !request.reason?.trim()) {
      throw new InputError(`reason: ${guard.why}; say why in the reason`);
    }
  }

  async #replay(
    actor: string,
    key: string,
    requestHash: string,
  ): Promise<Run | undefined> {
    const record = await this.o.idempotency.find(actor, key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError(
        'Idempotency-Key was already used with other parameters; use a new key for a new request',
      );
    }
    return toApiRun((await this.o.runs.get(record.runId))!);
  }

  /** Idempotency key, lock and run record in one transaction: all of them or none. */
  async #admit(
    resolved: ResolvedRunbook,
    request: RunRequest,
    actor: string,
    requestHash: string,
    idempotencyKey: string | undefined,
    approval?: RunApproval,
  ): Promise<Admitted> {
    const id = randomUUID();
    const now = Date.now();
    const entityRef = resolved.target.entityRef;
    try {
      await this.o.db.transaction(async trx => {
        if (idempotencyKey) {
          const record = await this.o.idempotency.claim(
            trx,
            actor,
            idempotencyKey,
            { requestHash, runId: id },
            now,
          );
          if (record.runId !== id) throw new ReplayOf(record.runId);
        }
        // A run awaiting approval holds no lock, only its place as the entity's one
        // waiting run, until a decision, a withdrawal or the expiry schedule ends it.
        const lock = approval
          ? {
              entityRef: awaitingKey(entityRef, resolved.target.cluster),
              runId: id,
              owner: id,
              expiresAt: Number.MAX_SAFE_INTEGER,
            }
          : {
              entityRef: lockKeyOf({
                id,
                entityRef,
                action: request.action,
                target: resolved.target,
              }),
              runId: id,
              owner: this.o.instanceId,
              expiresAt: now + this.o.lockTtlMs,
            };
        const { acquired, holder } = await this.o.locks.acquire(trx, lock, now);
        if (!acquired) throw new LockHeld(holder, Boolean(approval));
        await this.o.runs.insert(trx, {
          id,
          entityRef,
          action: request.action,
          input: request.input,
          actor,
          reason: request.reason,
          target: resolved.target,
          createdAt: now,
          approval,
        });
      });
    } catch (error) {
      if (error instanceof ReplayOf) return { replayOf: error.runId };
      if (error instanceof LockHeld) {
        const holding = await this.o.runs.get(error.holder.runId);
        const what = holding
          ? ` (${holding.action} by ${holding.actor}, ${holding.status})`
          : '';
        const where = inCluster(resolved);
        throw new ConflictError(
          error.awaiting
            ? `${entityRef} already has a run awaiting approval${where}: ${error.holder.runId}${what}; it must be decided or withdrawn first`
            : `${entityRef} is locked by run ${error.holder.runId}${what}${where}; try again when it has ended`,
        );
      }
      throw error;
    }
    return { run: (await this.o.runs.get(id))! };
  }
}

/** The cluster a run acts on, for its audit rows (none for targets without one). */
export function clusterOf(resolved: Pick<ResolvedRunbook, 'target'>) {
  return resolved.target.cluster ? { cluster: resolved.target.cluster } : {};
}
