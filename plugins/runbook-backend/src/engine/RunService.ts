import { createHash, randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ActionAvailability,
  DryRunResult,
  Run,
  RunbookResolution,
  RunLogEntry,
  RunRequest,
  checkActionLimits,
  parseRunRequest,
  runbookActionExecutePermission,
  runbookActionReadPermission,
} from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorRequest,
  LiveState,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import { AuditTrail } from '../audit/AuditTrail';
import { canonicalJson } from '../audit/chain';
import { redact, redactText } from '../audit/redact';
import { IdempotencyStore } from '../database/IdempotencyStore';
import { Lock, LockStore } from '../database/LockStore';
import { RunStore, StoredRun } from '../database/RunStore';
import { IdempotencyKeyReusedError } from './errors';
import { inputRefusal, stateRefusal } from './preconditions';
import { ResolvedRunbook, RunbookResolver } from './RunbookResolver';
import { RunWorker } from './RunWorker';

const BLUE_GREEN = [
  'blue-green-deploy',
  'blue-green-switch',
  'blue-green-decommission',
] as const;

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

/** The user (or service) a request acts for, as it appears in runs and the audit trail. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return (
    principal.userEntityRef ??
    `${principal.type}:${principal.subject ?? 'unknown'}`
  );
}

/** A run as the API shows it: no internals, sensitive values redacted. */
export function toApiRun({ target: _t, prepared: _p, ...run }: StoredRun): Run {
  return {
    ...run,
    input: redact(run.input),
    reason: run.reason && redactText(run.reason),
  };
}

/**
 * The run pipeline: validate, resolve, authorize, idempotency, lock, record, execute.
 * Everything here is independent of HTTP; the router maps its errors to status codes.
 */
export class RunService {
  constructor(
    private readonly o: {
      db: Knex;
      resolver: RunbookResolver;
      permissions: PermissionsService;
      runs: RunStore;
      locks: LockStore;
      idempotency: IdempotencyStore;
      audit: AuditTrail;
      worker: RunWorker;
      executor: () => RunbookActionExecutor;
      /** The live state a page view shows: from the watch cache, never the cluster. */
      liveState: (target: RunbookTarget) => LiveState;
      instanceId: string;
      lockTtlMs: number;
    },
  ) {}

  async authorizeBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await this.o.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${permission.name})`,
      );
    }
  }

  async getRunbook(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RunbookResolution> {
    await this.authorizeBasic(runbookActionReadPermission, credentials);
    const resolved = await this.o.resolver.resolve(ref, credentials);
    const permitted = await this.#mayExecute(resolved, credentials);
    let live: LiveState | undefined;
    let liveError: string | undefined;
    try {
      // A DR-target Resource has no Deployment; its drill reads no live state.
      if (!resolved.drTarget) live = this.o.liveState(resolved.target);
    } catch (error) {
      liveError = redactText(
        error instanceof Error ? error.message : String(error),
      );
    }
    const lastBlueGreen = await this.o.runs.latestOf(
      resolved.target.entityRef,
      [...BLUE_GREEN],
    );
    const actions: ActionAvailability[] = resolved.offered.map(action => {
      if (!permitted) {
        return {
          action,
          allowed: false,
          reason: `You may not run actions on ${resolved.target.entityRef} (${runbookActionExecutePermission.name})`,
        };
      }
      let reason: string | undefined;
      if (resolved.drTarget) reason = resolved.drTarget.unavailable;
      else if (live) reason = stateRefusal(action, live, lastBlueGreen);
      else reason = `The live state could not be read: ${liveError}`;
      return reason
        ? { action, allowed: false, reason }
        : { action, allowed: true };
    });
    const holder = await this.o.locks.holder(resolved.target.entityRef);
    return {
      entityRef: resolved.target.entityRef,
      cluster: resolved.target.cluster,
      namespace: resolved.target.namespace,
      service: resolved.target.service,
      production: resolved.production,
      confirmText: resolved.confirmText,
      limits: resolved.limits,
      actions,
      live: live && {
        colour: live.live.colour,
        deployment: live.live.deployment,
        replicas: live.live.replicas,
        readyReplicas: live.live.readyReplicas,
        image: live.live.image,
        autoscaled: live.autoscaled,
      },
      liveError,
      activeRunId:
        holder && holder.expiresAt > Date.now() ? holder.runId : undefined,
    };
  }

  /** Steps 1-6 of the pipeline; execution continues in the background. */
  async requestRun(options: {
    ref: CompoundEntityRef;
    body: unknown;
    credentials: BackstageCredentials;
    idempotencyKey?: string;
  }): Promise<
    | { kind: 'dry-run'; result: DryRunResult }
    | { kind: 'run'; run: Run; replayed: boolean }
  > {
    const parsed = parseRunRequest(options.body);
    if (!parsed.success) {
      throw new InputError(
        parsed.issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    const request = parsed.request;
    const resolved = await this.o.resolver.resolve(
      options.ref,
      options.credentials,
    );
    this.#checkStatically(request, resolved);
    if (resolved.drTarget?.unavailable) {
      throw new NotFoundError(resolved.drTarget.unavailable);
    }
    const actor = actorOf(options.credentials);
    if (!(await this.#mayExecute(resolved, options.credentials))) {
      await this.o.audit.record({
        event: 'denied',
        actor,
        entityRef: resolved.target.entityRef,
        action: request.action,
        outcome: `${runbookActionExecutePermission.name} denied`,
        params: request.input,
      });
      throw new NotAllowedError(
        `You may not run ${request.action} on ${resolved.target.entityRef} (${runbookActionExecutePermission.name})`,
      );
    }
    const executorRequest = {
      action: request.action,
      input: request.input,
    } as ExecutorRequest;
    const executor = this.o.executor();
    if (request.dryRun) {
      const diff = await executor.dryRun(resolved.target, executorRequest, {
        limits: resolved.limits,
        signal: new AbortController().signal,
        log: async () => {},
      });
      return {
        kind: 'dry-run',
        result: { dryRun: true, action: request.action, diff },
      };
    }

    const requestHash = createHash('sha256')
      .update(
        canonicalJson({
          entityRef: resolved.target.entityRef,
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

    if (!resolved.drTarget) {
      const live = await executor.inspect(resolved.target);
      const lastBlueGreen = await this.o.runs.latestOf(
        resolved.target.entityRef,
        [...BLUE_GREEN],
      );
      const conflict = stateRefusal(request.action, live, lastBlueGreen);
      if (conflict) throw new ConflictError(conflict);
      const badInput = inputRefusal(executorRequest, live);
      if (badInput) throw new InputError(badInput);
    }

    const admitted = await this.#admit(
      resolved,
      request,
      actor,
      requestHash,
      options.idempotencyKey,
    );
    if ('replayOf' in admitted) {
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
      params: request.input,
      summary: request.reason ? { reason: request.reason } : {},
    });
    this.o.worker.start(run, resolved.limits);
    return { kind: 'run', run: toApiRun(run), replayed: false };
  }

  async getRun(id: string, credentials: BackstageCredentials): Promise<Run> {
    await this.authorizeBasic(runbookActionReadPermission, credentials);
    return toApiRun(await this.#run(id));
  }

  async getLog(
    id: string,
    after: number,
    credentials: BackstageCredentials,
  ): Promise<RunLogEntry[]> {
    await this.authorizeBasic(runbookActionReadPermission, credentials);
    await this.#run(id);
    return this.o.runs.log(id, after);
  }

  async listRuns(
    ref: CompoundEntityRef,
    limit: number,
    credentials: BackstageCredentials,
  ) {
    await this.authorizeBasic(runbookActionReadPermission, credentials);
    const resolved = await this.o.resolver.resolve(ref, credentials);
    return (
      await this.o.runs.listForEntity(resolved.target.entityRef, limit)
    ).map(toApiRun);
  }

  /** Asks a run to stop. Whoever may run actions on its entity may cancel it. */
  async cancel(id: string, credentials: BackstageCredentials): Promise<Run> {
    const run = await this.#run(id);
    const [decision] = await this.o.permissions.authorize(
      [
        {
          permission: runbookActionExecutePermission,
          resourceRef: run.entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await this.o.audit.record({
        event: 'denied',
        actor: actorOf(credentials),
        entityRef: run.entityRef,
        action: run.action,
        runId: run.id,
        outcome: `cancel: ${runbookActionExecutePermission.name} denied`,
      });
      throw new NotAllowedError(`You may not cancel runs on ${run.entityRef}`);
    }
    if (run.finishedAt) {
      throw new ConflictError(`Run ${id} has already ended (${run.status})`);
    }
    await this.o.runs.requestCancel(id);
    this.o.worker.cancelLocal(id);
    return toApiRun((await this.o.runs.get(id))!);
  }

  async #run(id: string): Promise<StoredRun> {
    const run = await this.o.runs.get(id);
    if (!run) throw new NotFoundError(`No run ${id}`);
    return run;
  }

  async #mayExecute(
    resolved: ResolvedRunbook,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await this.o.permissions.authorize(
      [
        {
          permission: runbookActionExecutePermission,
          resourceRef: resolved.target.entityRef,
        },
      ],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
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
  ): Promise<{ run: StoredRun } | { replayOf: string }> {
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
          entityRef,
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
