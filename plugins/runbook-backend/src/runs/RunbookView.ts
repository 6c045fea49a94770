import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ActionAvailability,
  RunbookResolution,
  actionDefinition,
  needsPerson,
  entityPermissionOf,
  runbookActionExecutePermission,
} from '@nexus-cos/plugin-runbook-common';
import type {
  LiveState,
  RunbookActionExecutor,
  RunbookActionExecutors,
} from '@nexus-cos/plugin-runbook-node';
import {
  awaitingKey,
  type ApprovalService,
} from '../approvals/ApprovalService';
import { redactText } from '../audit/redact';
import { lastRunOfFamily } from './family';
import type { LiveStates } from './liveState';
import type { LockStore } from './LockStore';
import type { RunbookResolver } from './RunbookResolver';
import type { RunPermissions } from './RunPermissions';
import type { RunStore } from './RunStore';

/**
 * `GET /entities/E/runbook`: the actions an entity offers, whether the caller may run
 * each now and why not, its limits and its live colour. It reads the watch cache only.
 */
export class RunbookView {
  constructor(
    private readonly o: {
      resolver: RunbookResolver;
      permissions: RunPermissions;
      executors: RunbookActionExecutors;
      liveStates: LiveStates;
      runs: RunStore;
      locks: LockStore;
      approvals: ApprovalService;
    },
  ) {}

  async getRunbook(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<RunbookResolution> {
    await this.o.permissions.requireRead(credentials);
    const resolved = await this.o.resolver.resolve(ref, credentials);
    const { entityRef } = resolved.target;
    // One decision per permission the offered actions need (most need execute).
    const decisions = new Map<string, Promise<boolean>>();
    const permitted = (permission: ReturnType<typeof entityPermissionOf>) => {
      if (!decisions.has(permission.name)) {
        decisions.set(
          permission.name,
          this.o.permissions.mayExecute(entityRef, credentials, permission),
        );
      }
      return decisions.get(permission.name)!;
    };
    let live: LiveState | undefined;
    let liveError: string | undefined;
    try {
      // A DR-target Resource has no Deployment; its actions read no live state.
      if (!resolved.drTarget) live = this.o.liveStates.cached(resolved.target);
    } catch (error) {
      liveError = redactText(
        error instanceof Error ? error.message : String(error),
      );
    }
    const families = new Map<string, ReturnType<typeof lastRunOfFamily>>();
    const actions: ActionAvailability[] = [];
    for (const action of resolved.offered) {
      const definition = actionDefinition(action);
      const permission = entityPermissionOf(definition);
      let reason: string | undefined;
      if (needsPerson(definition) && !(await permitted(permission))) {
        reason =
          permission === runbookActionExecutePermission
            ? `You may not run actions on ${entityRef} (${permission.name})`
            : `You may not run ${action} on ${entityRef} (${permission.name})`;
      } else if (resolved.drTarget?.unavailable) {
        reason = resolved.drTarget.unavailable;
      } else if (!resolved.drTarget && !live && definition.changesState) {
        reason = `The live state could not be read: ${liveError}`;
      } else {
        const family = definition.family ?? '';
        if (!families.has(family)) {
          families.set(family, lastRunOfFamily(this.o.runs, entityRef, action));
        }
        const executor = this.o.executors[action] as RunbookActionExecutor;
        reason = executor.refusal?.({
          target: resolved.target,
          live,
          lastRunOfFamily: await families.get(family),
        });
      }
      actions.push(
        reason ? { action, allowed: false, reason } : { action, allowed: true },
      );
    }
    const [holder, awaiting] = await Promise.all([
      this.o.locks.holder(entityRef),
      this.o.locks.holder(awaitingKey(entityRef)),
    ]);
    const freeze = this.o.approvals.freezeFor(resolved.entity);
    return {
      entityRef,
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
      awaitingRunId: awaiting?.runId,
      ...(freeze ? { freeze } : {}),
    };
  }
}
