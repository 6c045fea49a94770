import { ApiException } from '@kubernetes/client-node';
import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorContext,
  ExecutorRequest,
  LiveState,
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from './diff';
import { KubernetesClients, apiErrorMessage } from './KubernetesClients';
import { Operation, readObject, runOperation } from './operations';
import { Convergence, Plan, planChange } from './plan';
import { holdReady, waitForRollout } from './rollout';
import {
  colourState,
  otherColour,
  readSnapshot,
  toLiveState,
} from './snapshot';

/** What `prepare` stores for `apply`, `converge` and `undo`. */
type StoredPlan = {
  forward: Operation[];
  convergence: Convergence;
};

const storedPlan = (prepared: PreparedChange) => prepared.plan as StoredPlan;

/** Runs API calls and turns their failures into short, credential-free messages. */
async function api<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof ApiException
      ? new Error(apiErrorMessage(error))
      : error;
  }
}

/**
 * The built-in executor: acts on clusters from Backstage's `kubernetes` config through
 * `@kubernetes/client-node`, following the design's blue-green model.
 */
export class KubernetesExecutor implements RunbookActionExecutor {
  constructor(
    private readonly clients: KubernetesClients,
    private readonly pollIntervalMs: number,
  ) {}

  async inspect(target: RunbookTarget): Promise<LiveState> {
    return toLiveState(
      await api(() => readSnapshot(this.clients.for(target.cluster), target)),
    );
  }

  async dryRun(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<ObjectDiff[]> {
    const c = this.clients.for(target.cluster);
    const plan = await this.#plan(target, request, ctx);
    const diffs: ObjectDiff[] = [];
    for (const op of plan.forward) {
      const before = await api(() =>
        readObject(c, target.namespace, op.kind, op.name),
      );
      const after = await api(() =>
        runOperation(c, target.namespace, op, true),
      );
      diffs.push(
        diffObjects(op.kind, op.name, target.namespace, before, after),
      );
    }
    return diffs;
  }

  async prepare(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<PreparedChange> {
    const plan = await this.#plan(target, request, ctx);
    await ctx.log(
      `Planned ${plan.forward
        .map(o => `${o.type} ${o.kind}/${o.name}`)
        .join(', ')}`,
    );
    const stored: StoredPlan = {
      forward: plan.forward,
      convergence: plan.convergence,
    };
    return { before: plan.before, undo: plan.undo, plan: stored };
  }

  async apply(
    target: RunbookTarget,
    _r: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ) {
    const c = this.clients.for(target.cluster);
    for (const op of storedPlan(prepared).forward) {
      await ctx.log(`Applying ${op.type} to ${op.kind}/${op.name}`);
      await api(() => runOperation(c, target.namespace, op));
    }
  }

  async converge(
    target: RunbookTarget,
    _r: ExecutorRequest,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ) {
    const c = this.clients.for(target.cluster);
    const convergence = storedPlan(prepared).convergence;
    const wait = {
      signal: ctx.signal,
      pollIntervalMs: this.pollIntervalMs,
      log: (m: string) => ctx.log(m),
    };
    if (convergence.kind === 'rollout') {
      await api(() =>
        waitForRollout(
          c,
          target.namespace,
          convergence.deployment,
          ctx.limits.rolloutTimeoutSeconds,
          wait,
        ),
      );
      if (convergence.holdSeconds) {
        await api(() =>
          holdReady(
            c,
            target.namespace,
            convergence.deployment,
            convergence.holdSeconds!,
            wait,
          ),
        );
      }
    } else if (convergence.kind === 'hold') {
      await api(() =>
        holdReady(
          c,
          target.namespace,
          convergence.deployment,
          convergence.holdSeconds,
          wait,
        ),
      );
    }
    return this.#summary(target);
  }

  async undo(
    target: RunbookTarget,
    prepared: PreparedChange,
    ctx: ExecutorContext,
  ) {
    const c = this.clients.for(target.cluster);
    const undo = prepared.undo as {
      operations: Operation[];
      waitFor: string[];
    } | null;
    if (!undo) return;
    for (const op of undo.operations) {
      await ctx.log(`Undoing: ${op.type} ${op.kind}/${op.name}`);
      await api(() => runOperation(c, target.namespace, op));
    }
    const wait = {
      signal: ctx.signal,
      pollIntervalMs: this.pollIntervalMs,
      log: (m: string) => ctx.log(m),
    };
    for (const name of undo.waitFor) {
      await api(() =>
        waitForRollout(
          c,
          target.namespace,
          name,
          ctx.limits.rolloutTimeoutSeconds,
          wait,
        ),
      );
    }
  }

  async #plan(
    target: RunbookTarget,
    request: ExecutorRequest,
    ctx: ExecutorContext,
  ): Promise<Plan> {
    const snapshot = await api(() =>
      readSnapshot(this.clients.for(target.cluster), target),
    );
    return planChange(request, snapshot, {
      healthWindowSeconds: ctx.limits.healthWindowSeconds,
      monitorSeconds: ctx.limits.blueGreenMonitorSeconds,
      now: new Date(),
    });
  }

  async #summary(target: RunbookTarget): Promise<Record<string, unknown>> {
    const s = await api(() =>
      readSnapshot(this.clients.for(target.cluster), target),
    );
    return {
      ...colourState(s.live, s.liveColour, target.service),
      ...(s.hpa
        ? {
            autoscaler: {
              min: s.hpa.spec.minReplicas,
              max: s.hpa.spec.maxReplicas,
            },
          }
        : {}),
      idle: s.idle
        ? colourState(s.idle, otherColour(s.liveColour), target.service)
        : null,
    };
  }
}
