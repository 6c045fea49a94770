import { createHash, randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DryRunResult,
  Run,
  RunRequest,
  actionDefinition,
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
import { lockKeyOf } from './lockKey';
import { Lock, LockStore } from './LockStore';
import { actorOf } from '../http/credentials';
import type { ResolvedRunbook, RunbookResolver } from './RunbookResolver';
import type { RunPermissions } from './RunPermissions';
import type { RunStore, StoredRun } from './RunStore';
import type { RunWorker } from './RunWorker';

class ReplayOf extends Error {
  constructor(readonly runId: string) {
    super('replay');
  }
}

class LockHeld extends Error {
  constructor(readonly holder: Lock) {
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
    },
  ) {}

  async requestRun(options: {
    ref: CompoundEntityRef;
    body: unknown;
    credentials: BackstageCredentials;
    idempotencyKey?: string;
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
    );
    this.#checkStatically(request, resolved);
    if (resolved.drTarget?.unavailable) {
      throw new NotFoundError(resolved.drTarget.unavailable);
    }
    const { entityRef } = resolved.target;
    const shownInput = redactInput(request.action, request.input);
    if (needsPerson(definition)) {
      await this.o.permissions.requireChange(
        { entityRef, action: request.action, params: shownInput },
        options.credentials,
        'run',
        entityPermissionOf(definition),
      );
    } else {
      await this.o.permissions.requireRead(options.credentials);
    }
    const executor = this.o.executors[request.action] as RunbookActionExecutor;
    if (request.dryRun) {
      const diff = await executor.dryRun(resolved.target, request.input, {
        limits: resolved.limits,
        signal: new AbortController().signal,
        log: async () => {},
      });
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

    const live = resolved.drTarget
      ? undefined
      : await this.o.liveStates.current(resolved.target);
    const conflict = executor.refusal?.({
      target: resolved.target,
      live,
      lastRunOfFamily: await lastRunOfFamily(
        this.o.runs,
        entityRef,
        request.action,
      ),
    });
    if (conflict) throw new ConflictError(conflict);
    const badInput = executor.inputRefusal?.(request.input, live);
    if (badInput) throw new InputError(badInput);

    // Secret values go to the cluster before anything is recorded; the run keeps a reference.
    const staged = await executor.stage?.(resolved.target, request.input);
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
      outcome: 'accepted',
      params: shownInput,
      summary: request.reason ? { reason: request.reason } : {},
    });
    this.o.worker.start(run, resolved.limits);
    return { kind: 'run', run: toApiRun(run), replayed: false };
  }

  #checkStatically(request: RunRequest, resolved: ResolvedRunbook) {
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
    if (
      resolved.confirmText &&
      actionDefinition(request.action).changesState &&
      !request.dryRun &&
      request.confirm !== resolved.confirmText
    ) {
      throw new InputError(
        `confirm: ${resolved.target.entityRef} is a production service; type its name "${resolved.confirmText}" to confirm`,
      );
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
        const lock = {
          entityRef: lockKeyOf({ id, entityRef, action: request.action }),
          runId: id,
          owner: this.o.instanceId,
          expiresAt: now + this.o.lockTtlMs,
        };
        const { acquired, holder } = await this.o.locks.acquire(trx, lock, now);
        if (!acquired) throw new LockHeld(holder);
        await this.o.runs.insert(trx, {
          id,
          entityRef,
          action: request.action,
          input: request.input,
          actor,
          reason: request.reason,
          target: resolved.target,
          createdAt: now,
        });
      });
    } catch (error) {
      if (error instanceof ReplayOf) return { replayOf: error.runId };
      if (error instanceof LockHeld) {
        const holding = await this.o.runs.get(error.holder.runId);
        throw new ConflictError(
          `${entityRef} is locked by run ${error.holder.runId}${
            holding
              ? ` (${holding.action} by ${holding.actor}, ${holding.status})`
              : ''
          }; try again when it has ended`,
        );
      }
      throw error;
    }
    return { run: (await this.o.runs.get(id))! };
  }
}
