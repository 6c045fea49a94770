import type {
  ObjectDiff,
  RunbookActionInput,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorContext,
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from '../../kubernetes/diff';
import {
  KubernetesClients,
  withApiErrors as api,
} from '../../kubernetes/KubernetesClients';
import {
  Operation,
  readObject,
  runOperation,
} from '../../kubernetes/operations';
import {
  WaitOptions,
  holdReady,
  waitForPodsGone,
  waitForRollout,
} from '../../kubernetes/rollout';
import {
  Snapshot,
  colourState,
  otherColour,
  readSnapshot,
} from '../../kubernetes/snapshot';

/** How the engine knows that a change took. */
export type Convergence =
  | { kind: 'rollout'; deployment: string; holdSeconds?: number }
  /** Scaled to zero, and every pod of `podSelector` has exited (its grace period ended). */
  | {
      kind: 'stopped';
      deployment: string;
      podSelector: string;
      graceSeconds: number;
    }
  | { kind: 'hold'; deployment: string; holdSeconds: number }
  | { kind: 'none' };

/** What a planner may use besides the live objects. */
export type PlanOptions = {
  healthWindowSeconds: number;
  monitorSeconds: number;
  now: Date;
};

/** A change, its undo and how to wait for it; the undo part is stored with the run. */
export type ClusterPlan = {
  forward: Operation[];
  undo: { operations: Operation[]; waitFor: string[] } | null;
  convergence: Convergence;
  /** Facts for the audit's `before` beyond the colours and the autoscaler. */
  before?: Record<string, unknown>;
};

/** One action that changes cluster objects: its refusals and its plan. */
export type ClusterPlanner<A extends RunbookActionName> = Pick<
  RunbookActionExecutor<A>,
  'refusal' | 'inputRefusal'
> & {
  plan(
    input: RunbookActionInput<A>,
    snapshot: Snapshot,
    options: PlanOptions,
  ): ClusterPlan;
};

/** What `prepare` stores for `apply` and `converge`. */
type StoredPlan = { forward: Operation[]; convergence: Convergence };

/** The colours and the autoscaler: what the audit records before and after a change. */
function summaryOf(s: Snapshot): Record<string, unknown> {
  const hpa = s.hpa?.spec;
  return {
    ...colourState(s.live, s.liveColour, s.target.service),
    ...(hpa
      ? { autoscaler: { min: hpa.minReplicas, max: hpa.maxReplicas } }
      : {}),
  };
}

/**
 * The executor of an action that changes cluster objects: it reads the live objects,
 * asks the planner for operations, applies them through `@kubernetes/client-node`,
 * waits as the plan says and, on failure, applies the stored undo.
 */
export function clusterChange<A extends RunbookActionName>(
  planner: ClusterPlanner<A>,
  deps: { clients: KubernetesClients; pollIntervalMs: number },
): RunbookActionExecutor<A> {
  const snapshot = (target: RunbookTarget) =>
    api(() => readSnapshot(deps.clients.for(target.cluster), target));
  const plan = async (
    target: RunbookTarget,
    input: RunbookActionInput<A>,
    ctx: ExecutorContext,
  ) => {
    const s = await snapshot(target);
    const p = planner.plan(input, s, {
      healthWindowSeconds: ctx.limits.healthWindowSeconds,
      monitorSeconds: ctx.limits.blueGreenMonitorSeconds,
      now: new Date(),
    });
    return { ...p, before: { ...summaryOf(s), ...p.before } };
  };
  const waitOptions = (ctx: ExecutorContext): WaitOptions => ({
    signal: ctx.signal,
    pollIntervalMs: deps.pollIntervalMs,
    log: (m: string) => ctx.log(m),
  });

  return {
    refusal: planner.refusal,
    inputRefusal: planner.inputRefusal,

    async dryRun(target, input, ctx): Promise<ObjectDiff[]> {
      const c = deps.clients.for(target.cluster);
      const diffs: ObjectDiff[] = [];
      for (const op of (await plan(target, input, ctx)).forward) {
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
    },

    async prepare(target, input, ctx): Promise<PreparedChange> {
      const p = await plan(target, input, ctx);
      await ctx.log(
        `Planned ${p.forward
          .map(o => `${o.type} ${o.kind}/${o.name}`)
          .join(', ')}`,
      );
      const stored: StoredPlan = {
        forward: p.forward,
        convergence: p.convergence,
      };
      return { before: p.before, undo: p.undo, plan: stored };
    },

    async apply(target, _input, prepared, ctx) {
      const c = deps.clients.for(target.cluster);
      for (const op of (prepared.plan as StoredPlan).forward) {
        await ctx.log(`Applying ${op.type} to ${op.kind}/${op.name}`);
        await api(() => runOperation(c, target.namespace, op));
      }
    },

    async converge(target, _input, prepared, ctx) {
      const c = deps.clients.for(target.cluster);
      const convergence = (prepared.plan as StoredPlan).convergence;
      const wait = waitOptions(ctx);
      if (convergence.kind === 'rollout' || convergence.kind === 'stopped') {
        await api(() =>
          waitForRollout(
            c,
            target.namespace,
            convergence.deployment,
            ctx.limits.rolloutTimeoutSeconds,
            wait,
          ),
        );
      }
      if (convergence.kind === 'stopped') {
        await api(() =>
          waitForPodsGone(
            c,
            target.namespace,
            convergence.podSelector,
            ctx.limits.rolloutTimeoutSeconds + convergence.graceSeconds,
            wait,
          ),
        );
      }
      if (
        (convergence.kind === 'rollout' || convergence.kind === 'hold') &&
        convergence.holdSeconds
      ) {
        const seconds = convergence.holdSeconds;
        await api(() =>
          holdReady(c, target.namespace, convergence.deployment, seconds, wait),
        );
      }
      const s = await snapshot(target);
      return {
        after: {
          ...summaryOf(s),
          idle: s.idle
            ? colourState(s.idle, otherColour(s.liveColour), target.service)
            : null,
        },
      };
    },

    async undo(target, prepared, ctx) {
      const c = deps.clients.for(target.cluster);
      const undo = prepared.undo as ClusterPlan['undo'];
      if (!undo) return;
      for (const op of undo.operations) {
        await ctx.log(`Undoing: ${op.type} ${op.kind}/${op.name}`);
        await api(() => runOperation(c, target.namespace, op));
      }
      for (const name of undo.waitFor) {
        await api(() =>
          waitForRollout(
            c,
            target.namespace,
            name,
            ctx.limits.rolloutTimeoutSeconds,
            waitOptions(ctx),
          ),
        );
      }
    },
  };
}
