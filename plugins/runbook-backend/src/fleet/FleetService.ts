import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FLEET_ACTIONS,
  FLEET_CHILD_ACTION,
  FleetChild,
  FleetDryRunResult,
  FleetPlanEntry,
  FleetRun,
  FleetRunRequest,
  RunApproval,
  parseFleetRunRequest,
} from '@nexus-cos/plugin-runbook-common';
import pLimit from 'p-limit';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf } from '../http/credentials';
import type { LiveStates } from '../runs/liveState';
import type { ResolvedRunbook, RunbookResolver } from '../runs/RunbookResolver';
import type { RunPermissions } from '../runs/RunPermissions';
import { FleetActionSpec, fleetActionSpec } from './fleetActions';
import type { FleetRunner } from './FleetRunner';
import { skipReason } from './FleetRunner';
import type { FleetStore, StoredFleetRun } from './FleetStore';
import type { FleetPermissions } from './FleetPermissions';
import { planOrder } from './planner';
import { toApiFleetRun } from './toApiFleetRun';
import { FleetScope, readFleetScope } from './scope';

/** The outcome of a fleet run request. */
export type FleetAdmission =
  | { kind: 'dry-run'; result: FleetDryRunResult }
  | { kind: 'run'; run: FleetRun };

/** Catalog and cluster reads per request run at most this many at once. */
const READS_AT_ONCE = 8;

/**
 * Fleet runs up to execution: validate, find the scope's services, plan them, authorize
 * the whole plan before anything runs, confirm, find what to skip, then record the run
 * and hand it to the runner. Also reads, lists and cancels fleet runs.
 */
export class FleetService {
  constructor(
    private readonly o: {
      catalog: CatalogService;
      resolver: RunbookResolver;
      fleetPermissions: FleetPermissions;
      runPermissions: RunPermissions;
      liveStates: LiveStates;
      audit: AuditTrail;
      store: FleetStore;
      runner: FleetRunner;
      instanceId: string;
      leaseTtlMs: number;
      /** Four eyes: what a fleet run waits for, telling approvers, withdrawing. */
      approvals: {
        requirement(subject: {
          action: string;
          entity: Entity;
        }): RunApproval | undefined;
        requested(fleet: StoredFleetRun): Promise<void>;
        withdraw(
          fleet: StoredFleetRun,
          credentials: BackstageCredentials,
        ): Promise<void>;
      };
    },
  ) {}

  async request(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<FleetAdmission> {
    const parsed = parseFleetRunRequest(body);
    if (!parsed.success) {
      throw new InputError(
        parsed.issues.map(i => `${i.field}: ${i.message}`).join('; '),
      );
    }
    const request = parsed.request;
    const spec = fleetActionSpec(request.action);
    if (!spec) {
      throw new InputError(
        `action: ${request.action} runs the action ${
          FLEET_CHILD_ACTION[request.action]
        } on each service, and this backend has no such action`,
      );
    }
    const scope = await readFleetScope(
      this.o.catalog,
      parseEntityRef(request.scope),
      credentials,
    );
    const planning = planOrder(scope.services, spec.order);
    if (!planning.ok) {
      throw new InputError(
        `scope: the services of ${
          scope.entityRef
        } depend on each other in a cycle, so they have no start or stop order: ${planning.cycle.join(
          ' → ',
        )} (spec.dependsOn)`,
      );
    }
    const { plan } = planning;
    await this.#authorize(spec, scope, plan, request, credentials);

    const reads = pLimit(READS_AT_ONCE);
    const resolved = await Promise.all(
      plan.map(p =>
        reads(() =>
          this.o.resolver.resolve(parseEntityRef(p.entityRef), credentials),
        ),
      ),
    );
    const confirmText = this.#confirmText(spec, scope, resolved);
    if (confirmText && !request.dryRun && request.confirm !== confirmText) {
      const production = resolved
        .filter(r => r.production)
        .map(r => r.target.entityRef);
      throw new InputError(
        `confirm: ${scope.entityRef} has production services (${production.join(
          ', ',
        )}); type its name "${confirmText}" to confirm`,
      );
    }
    const children: FleetChild[] = await Promise.all(
      resolved.map(r =>
        reads(async (): Promise<FleetChild> => {
          const reason = await skipReason(spec, r, this.o.liveStates);
          return reason
            ? { entityRef: r.target.entityRef, status: 'skipped', reason }
            : { entityRef: r.target.entityRef, status: 'not-started' };
        }),
      ),
    );
    if (request.dryRun) {
      return {
        kind: 'dry-run',
        result: {
          dryRun: true,
          action: request.action,
          scope: scope.entityRef,
          plan,
          children,
          ...(confirmText ? { confirmText } : {}),
        },
      };
    }
    return {
      kind: 'run',
      run: await this.#admit(spec, request, scope, plan, children, credentials),
    };
  }

  async get(id: string, credentials: BackstageCredentials): Promise<FleetRun> {
    await this.o.runPermissions.requireRead(credentials);
    return toApiFleetRun(await this.#fleet(id));
  }

  async list(
    scope: string | undefined,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<FleetRun[]> {
    await this.o.runPermissions.requireRead(credentials);
    return (await this.o.store.list(scope, limit)).map(toApiFleetRun);
  }

  /**
   * Stops a fleet run between services: runs already started end as they would, no
   * other service starts. Whoever may run it may cancel it.
   */
  async cancel(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<FleetRun> {
    const fleet = await this.#fleet(id);
    const spec = fleetActionSpec(fleet.action);
    if (spec?.changesState ?? true) {
      await this.o.fleetPermissions.requireChange(
        fleet.scope,
        fleet.action,
        fleet.plan.map(p => p.entityRef),
        credentials,
        'cancel',
        fleet.id,
      );
    } else {
      await this.o.runPermissions.requireRead(credentials);
    }
    if (fleet.finishedAt) {
      throw new ConflictError(
        `Fleet run ${id} has already ended (${fleet.status})`,
      );
    }
    if (fleet.status === 'awaiting-approval') {
      await this.o.approvals.withdraw(fleet, credentials);
      return toApiFleetRun(await this.#fleet(id));
    }
    await this.o.store.requestCancel(id);
    await this.o.audit.record({
      event: 'requested',
      actor: actorOf(credentials),
      entityRef: fleet.scope,
      action: fleet.action,
      runId: fleet.id,
      outcome: 'cancel requested',
    });
    return toApiFleetRun(await this.#fleet(id));
  }

  async #fleet(id: string): Promise<StoredFleetRun> {
    const fleet = await this.o.store.get(id);
    if (!fleet) throw new NotFoundError(`No fleet run ${id}`);
    return fleet;
  }

  /** Production services need the scope's name typed, for changes only. */
  #confirmText(
    spec: FleetActionSpec,
    scope: FleetScope,
    resolved: ResolvedRunbook[],
  ): string | undefined {
    return spec.changesState && resolved.some(r => r.production)
      ? scope.entity.metadata.name
      : undefined;
  }

  async #authorize(
    spec: FleetActionSpec,
    scope: FleetScope,
    plan: FleetPlanEntry[],
    request: FleetRunRequest,
    credentials: BackstageCredentials,
  ) {
    if (!spec.changesState) {
      await this.o.runPermissions.requireRead(credentials);
      return;
    }
    await this.o.fleetPermissions.requireChange(
      scope.entityRef,
      request.action,
      plan.map(p => p.entityRef),
      credentials,
      'run',
    );
  }

  async #admit(
    spec: FleetActionSpec,
    request: FleetRunRequest,
    scope: FleetScope,
    plan: FleetPlanEntry[],
    children: FleetChild[],
    credentials: BackstageCredentials,
  ): Promise<FleetRun> {
    const id = randomUUID();
    const actor = actorOf(credentials);
    const now = Date.now();
    const approval = spec.changesState
      ? this.o.approvals.requirement({
          action: request.action,
          entity: scope.entity,
        })
      : undefined;
    // Two fleet runs that change the same services would fight; reads never do.
    const conflicting = spec.changesState
      ? FLEET_ACTIONS.filter(a => fleetActionSpec(a)?.changesState)
      : [];
    const { conflict } = await this.o.store.insert(
      {
        id,
        action: request.action,
        scope: scope.entityRef,
        actor,
        reason: request.reason,
        gracePeriodSeconds: request.gracePeriodSeconds,
        owner: this.o.instanceId,
        leaseExpiresAt: now + this.o.leaseTtlMs,
        createdAt: now,
        children: plan.map((p, i) => ({ ...children[i], depth: p.depth })),
        approval,
      },
      conflicting,
    );
    if (conflict) {
      const shared = conflict.plan
        .map(p => p.entityRef)
        .filter(ref => plan.some(p => p.entityRef === ref));
      throw new ConflictError(
        `Fleet run ${conflict.id} (${conflict.action} of ${conflict.scope} by ${
          conflict.actor
        }, ${conflict.status}) already covers ${shared.join(
          ', ',
        )}; try again when it has ended`,
      );
    }
    await this.o.audit.record({
      event: 'requested',
      actor,
      entityRef: scope.entityRef,
      action: request.action,
      runId: id,
      outcome: approval ? `awaiting approval (${approval.rule})` : 'accepted',
      params: {
        ...(request.gracePeriodSeconds === undefined
          ? {}
          : { gracePeriodSeconds: request.gracePeriodSeconds }),
      },
      summary: {
        plan: plan.map(p => `${p.depth}:${p.entityRef}`),
        skipped: children
          .filter(c => c.status === 'skipped')
          .map(c => c.entityRef),
        ...(request.reason ? { reason: request.reason } : {}),
      },
    });
    const stored = (await this.o.store.get(id))!;
    if (approval) await this.o.approvals.requested(stored);
    else this.o.runner.start(id, credentials);
    return toApiFleetRun(stored);
  }
}
