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
import { currentPodsPattern } from '../../kubernetes/podPattern';
import {
  Snapshot,
  colourState,
  otherColour,
  readSnapshot,
} from '../../kubernetes/snapshot';
import type { MetricAnalysis } from '../../analysis/MetricAnalysis';

/** The service a change's metrics are about. */
const metricsTarget = (target: RunbookTarget) => ({
  entityRef: target.entityRef,
  cluster: target.cluster,
  namespace: target.namespace,
  service: target.service,
});

/**
 * How the engine knows that a change took: a rollout, a watch window (readiness, plus a
 * metric analysis of the Deployment's new pods with `analyze`), or nothing.
 */
export type Convergence =
  | {
      kind: 'rollout';
      deployment: string;
      holdSeconds?: number;
      analyze?: boolean;
    }
  | {
      kind: 'hold';
      deployment: string;
      holdSeconds: number;
      analyze?: boolean;
    }
  /** Scaled to zero, and every pod of `podSelector` has exited (its grace period ended). */
  | {
      kind: 'stopped';
      deployment: string;
      podSelector: string;
      graceSeconds: number;
    }
  | { kind: 'none' };

/** What a planner may use besides the live objects. */
export type PlanOptions = {
  healthWindowSeconds: number;
  monitorSeconds: number;
  /** How long a new colour is analysed on preview traffic; 0 without metrics. */
  previewSeconds: number;
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
type StoredPlan = {
  forward: Operation[];
  convergence: Convergence;
  /** The service's signals before the change, when a baseline factor applies. */
  baseline?: Record<string, number>;
};

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
  deps: {
    clients: KubernetesClients;
    pollIntervalMs: number;
    analysis: MetricAnalysis;
  },
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
      previewSeconds: deps.analysis.available
        ? deps.analysis.previewSeconds
        : 0,
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
      const measured =
        (p.convergence.kind === 'rollout' || p.convergence.kind === 'hold') &&
        p.convergence.analyze &&
        deps.analysis.available &&
        ctx.limits.analysis?.baselineFactor
          ? await deps.analysis.baseline(metricsTarget(target))
          : undefined;
      const stored: StoredPlan = {
        forward: p.forward,
        convergence: p.convergence,
        ...(measured ? { baseline: measured as Record<string, number> } : {}),
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
      const { convergence, baseline } = prepared.plan as StoredPlan;
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
        const { deployment, holdSeconds: seconds } = convergence;
        const hold = (signal: AbortSignal) =>
          api(() =>
            holdReady(c, target.namespace, deployment, seconds, {
              ...wait,
              signal,
            }),
          );
        if (!convergence.analyze) {
          await hold(ctx.signal);
        } else if (!deps.analysis.available) {
          await ctx.log(
            'Metric analysis: no metrics provider (Prometheus not configured); watching readiness only',
            'warn',
          );
          await hold(ctx.signal);
        } else {
          // Readiness and metrics watched together; either failing ends both.
          const both = new AbortController();
          const abort = () => both.abort(ctx.signal.reason);
          ctx.signal.addEventListener('abort', abort, { once: true });
          try {
            const pods = await api(() =>
              currentPodsPattern(c, target.namespace, deployment),
            );
            await Promise.all([
              hold(both.signal),
              deps.analysis.watch({
                target: { ...metricsTarget(target), pods },
                subject: `new pods of ${deployment} (${pods})`,
                seconds,
                thresholds: ctx.limits.analysis!,
                baseline,
                signal: both.signal,
                log: (m, level) => ctx.log(m, level),
                report: result => ctx.report(result),
              }),
            ]).catch(error => {
              both.abort(error);
              throw error;
            });
          } finally {
            ctx.signal.removeEventListener('abort', abort);
          }
        }
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
