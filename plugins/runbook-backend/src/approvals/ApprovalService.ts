import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ActiveFreeze,
  ApprovalDecision,
  Incident,
  OPEN_INCIDENT_STATUSES,
  ObjectDiff,
  Run,
  RunApproval,
  RunInitiator,
  RunRequest,
  actionDefinition,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookActionExecutor } from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import { redactInput } from '../audit/redact';
import { actorOf } from '../http/credentials';
import { toApiRun } from '../runs/apiRun';
import type { LockStore } from '../runs/LockStore';
import type { ResolvedRunbook, RunbookResolver } from '../runs/RunbookResolver';
import type { RunPermissions } from '../runs/RunPermissions';
import type { RunStore, StoredRun } from '../runs/RunStore';
import type { RunWorker } from '../runs/RunWorker';
import type { ApprovalDesk, Waiting } from './ApprovalDesk';
import { Freeze, activeFreeze } from './freezes';
import { ApprovalRule, approversOf, matchingRule } from './rules';

/** The row that keeps a second run of an entity from waiting beside the first. */
export const awaitingKey = (entityRef: string) => `awaiting:${entityRef}`;

/** An emergency change during a freeze: one person of the usual approvers, within an hour. */
const EMERGENCY = { count: 1, from: ['owner', 'oncall', 'platform-lead'] };
const EMERGENCY_MINUTES = 60;

/**
 * Whether two diffs start from the same live state: the same objects and paths with the
 * same values before. What a change writes may differ by the moment (a restart's time).
 */
const fromSameState = (a: ObjectDiff[], b: ObjectDiff[]) => {
  const state = (diff: ObjectDiff[]) =>
    JSON.stringify(
      diff.map(o => [
        o.kind,
        o.namespace,
        o.name,
        o.operation,
        o.changes.map(c => [c.path, c.before]),
      ]),
    );
  return state(a) === state(b);
};

/** A run as the approval desk sees it. */
const waitingRun = (run: StoredRun): Waiting => ({
  id: run.id,
  noun: 'run',
  entityRef: run.entityRef,
  action: run.action,
  actor: run.actor,
  reason: run.reason,
  status: run.status,
  approval: run.approval,
  params: redactInput(run.action, run.input),
  link: `/runbook/runs/${run.id}`,
});

/**
 * Four eyes and change freezes: which runs must wait for approval, who may decide, and
 * what happens on approval (the run takes the lock and executes), rejection and expiry.
 * A waiting run holds no lock; every decision is audited and notified.
 */
export class ApprovalService {
  constructor(
    private readonly o: {
      db: Knex;
      rules: ApprovalRule[];
      freezes: Freeze[];
      runs: RunStore;
      locks: LockStore;
      audit: AuditTrail;
      resolver: RunbookResolver;
      permissions: RunPermissions;
      executors: Record<string, RunbookActionExecutor>;
      worker: RunWorker;
      desk: ApprovalDesk;
      auth: AuthService;
      /** An incident by id, for emergency changes. */
      incident(id: string): Promise<Incident | undefined>;
      /** Writes a line on an incident's timeline. */
      noteOnIncident(id: string, message: string): Promise<void>;
      instanceId: string;
      lockTtlMs: number;
    },
  ) {}

  #now() {
    return this.o.desk.now();
  }

  /** The change freeze in force for the entity now, if any. */
  freezeFor(entity: Entity): ActiveFreeze | undefined {
    return activeFreeze(this.o.freezes, entity, this.#now());
  }

  /**
   * Whether this change must wait for approval, and from whom: a matching rule, or an
   * emergency during a change freeze. A change during a freeze that is not an emergency
   * is a 409 naming the freeze. The dry-run diff is taken now, for the approvers.
   */
  async requirementFor(options: {
    resolved: ResolvedRunbook;
    request: RunRequest & { emergencyIncident?: string };
    initiator: RunInitiator;
    executor: RunbookActionExecutor;
  }): Promise<RunApproval | undefined> {
    const { resolved, request, initiator } = options;
    if (!actionDefinition(request.action).changesState) return undefined;
    const { entity } = resolved;
    const entityRef = resolved.target.entityRef;
    const now = this.#now();
    const freeze = this.freezeFor(entity);
    let emergency: RunApproval['emergency'];
    if (freeze) {
      if (!request.emergencyIncident) {
        throw new ConflictError(
          `${entityRef} is in the change freeze "${freeze.name}" until ${
            freeze.until
          }${
            freeze.reason ? ` (${freeze.reason})` : ''
          }; an emergency change names an open P0 or P1 incident of it in emergencyIncident, and needs an approval`,
        );
      }
      await this.#checkEmergency(request.emergencyIncident, entityRef);
      emergency = {
        incidentId: request.emergencyIncident,
        freeze: freeze.name,
      };
    } else if (request.emergencyIncident) {
      throw new InputError(
        `emergencyIncident: ${entityRef} is in no change freeze; only a change during a freeze is an emergency change`,
      );
    }
    const rule = matchingRule(this.o.rules, {
      action: request.action,
      input: request.input,
      entity,
      initiator,
    });
    if (!rule && !emergency) return undefined;
    const { count, from } = rule ?? EMERGENCY;
    const minutes = rule?.expiresAfterMinutes ?? EMERGENCY_MINUTES;
    return {
      rule: rule?.name ?? 'emergency',
      required: count,
      approvers: approversOf(from, entity),
      expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
      diff: await this.#diff(options.executor, resolved, request.input),
      diffAt: now.toISOString(),
      approvals: [],
      initiator,
      ...(emergency ? { emergency } : {}),
    };
  }

  /**
   * Whether a fleet run must wait for approval, by the rules alone: its services' own
   * runs meet change freezes one by one. Approvers see the plan instead of a diff.
   */
  fleetRequirement(subject: {
    action: string;
    entity: Entity;
  }): RunApproval | undefined {
    const initiator = 'person';
    const rule = matchingRule(this.o.rules, { ...subject, initiator });
    if (!rule) return undefined;
    const now = this.#now();
    return {
      rule: rule.name,
      required: rule.count,
      approvers: approversOf(rule.from, subject.entity),
      expiresAt: new Date(
        now.getTime() + rule.expiresAfterMinutes * 60_000,
      ).toISOString(),
      diff: [],
      diffAt: now.toISOString(),
      approvals: [],
      initiator,
    };
  }

  /** Tells the approvers, and the incident of an emergency change, that a run waits. */
  async requested(run: StoredRun): Promise<void> {
    const { emergency } = run.approval!;
    if (emergency) {
      await this.o.noteOnIncident(
        emergency.incidentId,
        `Emergency change requested during the freeze "${emergency.freeze}": ${run.action} on ${run.entityRef} by ${run.actor} (run ${run.id})`,
      );
    }
    await this.o.desk.requested(waitingRun(run));
  }

  /** `GET /approvals`: the runs the caller may decide on, or (`mine`) their own waiting runs. */
  async list(mine: boolean, credentials: BackstageCredentials): Promise<Run[]> {
    await this.o.permissions.requireRead(credentials);
    const me = actorOf(credentials);
    const waiting = await this.o.runs.listAwaiting();
    if (mine) return waiting.filter(r => r.actor === me).map(toApiRun);
    const decidable: Run[] = [];
    for (const run of waiting) {
      if (await this.o.desk.canDecide(waitingRun(run), credentials))
        decidable.push(toApiRun(run));
    }
    return decidable;
  }

  /**
   * Approves a waiting run. When the diff changed since it was shown, the new one is
   * kept and the approval refused (409), so that approvers see what they approve. With
   * enough approvals the run takes its entity's lock, in the same transaction that ends
   * the wait, and executes; a held lock is a 409 naming the run that holds it.
   */
  async approve(
    id: string,
    comment: string,
    credentials: BackstageCredentials,
  ): Promise<Run> {
    const run = await this.#decidable(id, credentials, 'approve');
    const approval = run.approval!;
    const resolved = await this.#resolve(run);
    const executor = this.o.executors[run.action];
    const diff = await this.#diff(executor, resolved, run.input);
    if (!fromSameState(diff, approval.diff)) {
      await this.o.db.transaction(trx =>
        this.o.runs.decide(
          trx,
          id,
          { ...approval, diff, diffAt: this.#now().toISOString() },
          approval.approvals.length,
          false,
        ),
      );
      throw new ConflictError(
        `The change would now differ from the diff you reviewed (the live state changed); review the new diff and approve again`,
      );
    }
    const decision = this.o.desk.decision(credentials, comment);
    const next = { ...approval, approvals: [...approval.approvals, decision] };
    const complete = next.approvals.length >= next.required;
    const now = Date.now();
    await this.o.db.transaction(async trx => {
      if (complete) {
        const lock = {
          entityRef: run.entityRef,
          runId: run.id,
          owner: this.o.instanceId,
          expiresAt: now + this.o.lockTtlMs,
        };
        const { acquired, holder } = await this.o.locks.acquire(trx, lock, now);
        if (!acquired) {
          throw new ConflictError(
            `${run.entityRef} is locked by run ${holder.runId}; approve again when it has ended (this run keeps waiting)`,
          );
        }
      }
      if (
        !(await this.o.runs.decide(
          trx,
          id,
          next,
          approval.approvals.length,
          complete,
        ))
      ) {
        throw new ConflictError(
          `Run ${id} was decided on meanwhile; reload it`,
        );
      }
      if (complete) {
        await this.o.locks.release(
          {
            entityRef: awaitingKey(run.entityRef),
            runId: run.id,
            owner: run.id,
          },
          trx,
        );
      }
    });
    await this.o.desk.approved(waitingRun(run), decision, next, complete);
    const updated = (await this.o.runs.get(id))!;
    if (complete) this.o.worker.start(updated, resolved.limits);
    return toApiRun(updated);
  }

  /** Rejects a waiting run: it ends `rejected`, with the comment as its error. */
  async reject(
    id: string,
    comment: string,
    credentials: BackstageCredentials,
  ): Promise<Run> {
    const run = await this.#decidable(id, credentials, 'reject');
    const decision = this.o.desk.decision(credentials, comment);
    await this.#end(
      run,
      'rejected',
      `Rejected by ${decision.actor}: ${comment}`,
      { ...run.approval!, rejection: decision },
      decision,
    );
    return toApiRun((await this.o.runs.get(id))!);
  }

  /** Ends the runs whose approval expired; run once across replicas on a schedule. */
  async expireOverdue(): Promise<number> {
    const now = this.#now();
    let expired = 0;
    for (const run of await this.o.runs.listAwaiting()) {
      if (Date.parse(run.approval!.expiresAt) > now.getTime()) continue;
      await this.#end(
        run,
        'expired',
        `No approval before ${run.approval!.expiresAt}`,
        run.approval!,
      );
      expired += 1;
    }
    return expired;
  }

  /** Ends a waiting run that its requester (or another who may change it) cancelled. */
  async withdraw(run: StoredRun, credentials: BackstageCredentials) {
    await this.#end(
      run,
      'cancelled',
      `Withdrawn by ${actorOf(credentials)} while awaiting approval`,
      run.approval!,
    );
  }

  async #end(
    run: StoredRun,
    status: 'rejected' | 'expired' | 'cancelled',
    error: string,
    approval: RunApproval,
    decision?: ApprovalDecision,
  ) {
    const ended = await this.o.db.transaction(async trx => {
      const done = await this.o.runs.finish(
        run.id,
        { status, at: Date.now(), error, approval },
        trx,
      );
      await this.o.locks.release(
        { entityRef: awaitingKey(run.entityRef), runId: run.id, owner: run.id },
        trx,
      );
      return done;
    });
    if (!ended) {
      throw new ConflictError(`Run ${run.id} is no longer awaiting approval`);
    }
    await this.o.desk.ended(waitingRun(run), status, error, decision);
  }

  /** A waiting run that this person may decide on, or the error that says why not. */
  async #decidable(
    id: string,
    credentials: BackstageCredentials,
    verb: 'approve' | 'reject',
  ): Promise<StoredRun> {
    const run = await this.o.runs.get(id);
    if (!run) throw new NotFoundError(`No run ${id}`);
    await this.o.desk.assertMayDecide(waitingRun(run), credentials, verb);
    return run;
  }

  async #resolve(run: StoredRun): Promise<ResolvedRunbook> {
    return this.o.resolver.resolve(
      parseEntityRef(run.entityRef),
      await this.o.auth.getOwnServiceCredentials(),
    );
  }

  async #diff(
    executor: RunbookActionExecutor,
    resolved: ResolvedRunbook,
    input: Record<string, unknown>,
  ) {
    return executor.dryRun(resolved.target, input as never, {
      limits: resolved.limits,
      signal: new AbortController().signal,
      log: async () => {},
      report: () => {},
    });
  }

  async #checkEmergency(incidentId: string, entityRef: string) {
    const incident = await this.o.incident(incidentId);
    const refuse = (problem: string) => {
      throw new InputError(`emergencyIncident: ${incidentId} ${problem}`);
    };
    if (!incident) return refuse('is not an incident');
    if (!OPEN_INCIDENT_STATUSES.includes(incident.status))
      return refuse(`is ${incident.status}, not open`);
    if (!['P0', 'P1'].includes(incident.severity))
      return refuse(`is ${incident.severity}; an emergency needs P0 or P1`);
    if (!incident.entityRefs.includes(entityRef.toLocaleLowerCase('en-US')))
      return refuse(`does not affect ${entityRef}`);
    return undefined;
  }
}
