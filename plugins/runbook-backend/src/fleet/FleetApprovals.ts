import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import type { ApprovalDesk, Waiting } from '../approvals/ApprovalDesk';
import { actorOf } from '../http/credentials';
import type { RunPermissions } from '../runs/RunPermissions';
import type { FleetPermissions } from './FleetPermissions';
import type { FleetRunner } from './FleetRunner';
import type { FleetStore, StoredFleetRun } from './FleetStore';
import { toApiFleetRun } from './toApiFleetRun';

const scopePage = (scope: string) => {
  const { kind, namespace, name } = parseEntityRef(scope);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
};

/** A fleet run as the approval desk sees it. */
export const waitingFleetRun = (fleet: StoredFleetRun): Waiting => ({
  id: fleet.id,
  noun: 'fleet run',
  entityRef: fleet.scope,
  action: fleet.action,
  actor: fleet.actor,
  reason: fleet.reason,
  status: fleet.status,
  approval: fleet.approval,
  params: {
    plan: fleet.plan.map(p => `${p.depth}:${p.entityRef}`),
    ...(fleet.gracePeriodSeconds === undefined
      ? {}
      : { gracePeriodSeconds: fleet.gracePeriodSeconds }),
  },
  // The scope's page, where the Fleet card follows it.
  link: scopePage(fleet.scope),
});

/**
 * Approval of fleet runs (start-all and stop-all over a System or the Domain), through
 * the same desk as runs. The approval that completes the count starts the fleet run, and
 * its services run as that approver: the requester's sign-in does not outlive their
 * request. The fleet run's audit rows name both.
 */
export class FleetApprovals {
  constructor(
    private readonly o: {
      desk: ApprovalDesk;
      store: FleetStore;
      runner: FleetRunner;
      permissions: RunPermissions;
      fleetPermissions: FleetPermissions;
      instanceId: string;
      leaseTtlMs: number;
    },
  ) {}

  /** The fleet runs the caller may decide on, or (`mine`) their own waiting ones. */
  async list(
    mine: boolean,
    credentials: BackstageCredentials,
  ): Promise<FleetRun[]> {
    await this.o.permissions.requireRead(credentials);
    const waiting = await this.o.store.listAwaiting();
    if (mine) {
      const me = actorOf(credentials);
      return waiting.filter(f => f.actor === me).map(toApiFleetRun);
    }
    const decidable: FleetRun[] = [];
    for (const fleet of waiting) {
      if (await this.o.desk.canDecide(waitingFleetRun(fleet), credentials))
        decidable.push(toApiFleetRun(fleet));
    }
    return decidable;
  }

  async approve(
    id: string,
    comment: string,
    credentials: BackstageCredentials,
  ): Promise<FleetRun> {
    const fleet = await this.#decidable(id, credentials, 'approve');
    const approval = fleet.approval!;
    const decision = this.o.desk.decision(credentials, comment);
    const next = { ...approval, approvals: [...approval.approvals, decision] };
    const complete = next.approvals.length >= next.required;
    // Whoever completes the count runs it, so they must be allowed to.
    if (complete) {
      await this.o.fleetPermissions.requireChange(
        fleet.scope,
        fleet.action,
        fleet.plan.map(p => p.entityRef),
        credentials,
        'run',
        fleet.id,
      );
    }
    const decided = await this.o.store.decide(
      id,
      next,
      approval.approvals.length,
      complete
        ? {
            owner: this.o.instanceId,
            expiresAt: Date.now() + this.o.leaseTtlMs,
          }
        : undefined,
    );
    if (!decided) {
      throw new ConflictError(
        `Fleet run ${id} was decided on meanwhile; reload it`,
      );
    }
    await this.o.desk.approved(
      waitingFleetRun(fleet),
      decision,
      next,
      complete,
    );
    if (complete) this.o.runner.start(id, credentials);
    return toApiFleetRun((await this.o.store.get(id))!);
  }

  async reject(
    id: string,
    comment: string,
    credentials: BackstageCredentials,
  ): Promise<FleetRun> {
    const fleet = await this.#decidable(id, credentials, 'reject');
    const decision = this.o.desk.decision(credentials, comment);
    await this.#end(
      fleet,
      'rejected',
      `Rejected by ${decision.actor}: ${comment}`,
      decision,
    );
    return toApiFleetRun((await this.o.store.get(id))!);
  }

  /** Ends a waiting fleet run that its requester (or another who may run it) cancelled. */
  async withdraw(fleet: StoredFleetRun, credentials: BackstageCredentials) {
    await this.#end(
      fleet,
      'cancelled',
      `Withdrawn by ${actorOf(credentials)} while awaiting approval`,
    );
  }

  /** Ends the fleet runs whose approval expired; run once across replicas on a schedule. */
  async expireOverdue(): Promise<number> {
    const now = this.o.desk.now().getTime();
    let expired = 0;
    for (const fleet of await this.o.store.listAwaiting()) {
      const { expiresAt } = fleet.approval!;
      if (Date.parse(expiresAt) > now) continue;
      await this.#end(fleet, 'expired', `No approval before ${expiresAt}`);
      expired += 1;
    }
    return expired;
  }

  async #end(
    fleet: StoredFleetRun,
    status: 'rejected' | 'expired' | 'cancelled',
    error: string,
    decision?: { actor: string; at: string; comment: string },
  ) {
    const ended = await this.o.store.endWaiting(fleet.id, {
      status,
      at: Date.now(),
      error,
      approval: decision
        ? { ...fleet.approval!, rejection: decision }
        : fleet.approval!,
    });
    if (!ended) {
      throw new ConflictError(
        `Fleet run ${fleet.id} is no longer awaiting approval`,
      );
    }
    await this.o.desk.ended(waitingFleetRun(fleet), status, error, decision);
  }

  async #decidable(
    id: string,
    credentials: BackstageCredentials,
    verb: 'approve' | 'reject',
  ): Promise<StoredFleetRun> {
    const fleet = await this.o.store.get(id);
    if (!fleet) throw new NotFoundError(`No fleet run ${id}`);
    await this.o.desk.assertMayDecide(
      waitingFleetRun(fleet),
      credentials,
      verb,
    );
    return fleet;
  }
}
