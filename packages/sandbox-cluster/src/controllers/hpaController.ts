import { timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { millicores } from '../metrics/podMetrics';
import { deepEqual } from '../store/deepEqual';
import { ChangeEvent, KubeObject } from '../store/types';
import { Controller, ControllerContext } from './Controller';
import { decideReplicas } from './hpaMath';
import { isReady } from './podLifecycle';

const HPAS = resourceByKind('HorizontalPodAutoscaler');
const DEPLOYMENTS = resourceByKind('Deployment');
const HPA_KEY = 'autoscaling/horizontalpodautoscalers';
/** Kubernetes' default target when an HPA names no metrics. */
const DEFAULT_TARGET = 80;
const CPU_METRIC = 'cpu resource utilization (percentage of request)';

type Usage = (uid: string) => { cpuMillicores: number } | undefined;
type Condition = {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
};

/**
 * The horizontal pod autoscaler for Deployments on CPU utilisation: every `hpaSyncMs`
 * it reads the ready pods' usage (from the traffic model), decides a replica count and
 * writes the scale, the status and its conditions and events as kube-controller-manager does.
 */
export class HpaController implements Controller {
  readonly name = 'horizontal-pod-autoscaler';
  private readonly lastSync = new Map<string, number>();
  /** HPAs with their next periodic sync already scheduled. */
  private readonly scheduled = new Set<string>();
  private readonly recommendations = new Map<
    string,
    Array<{ at: number; replicas: number }>
  >();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly usage: Usage,
  ) {}

  keysFor(event: ChangeEvent) {
    if (event.resource !== HPA_KEY) return [];
    const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
    if (event.type === 'DELETED') {
      this.lastSync.delete(key);
      this.recommendations.delete(key);
      return [];
    }
    // Our own status writes change nothing the next sync would not see anyway.
    return deepEqual(event.object.spec, event.previous?.spec) ? [] : [key];
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const hpa = this.ctx.store.get(HPA_KEY, namespace, name);
    if (!hpa) return;
    const now = Date.now();
    const due = (this.lastSync.get(key) ?? 0) + this.ctx.timings.hpaSyncMs;
    if (now < due && this.lastSync.has(key)) return;
    this.lastSync.set(key, now);
    try {
      this.sync(key, hpa, now);
    } finally {
      if (!this.scheduled.has(key)) {
        this.scheduled.add(key);
        this.ctx.timers.after(this.ctx.timings.hpaSyncMs, () => {
          this.scheduled.delete(key);
          this.ctx.enqueue(this.name, key);
        });
      }
    }
  }

  private sync(key: string, hpa: KubeObject, now: number) {
    const { spec } = hpa;
    const ref = spec.scaleTargetRef ?? {};
    const deployment =
      ref.kind === 'Deployment'
        ? this.ctx.store.get(
            'apps/deployments',
            hpa.metadata.namespace!,
            ref.name,
          )
        : undefined;
    if (!deployment) {
      const message = `the HPA controller was unable to get the target's current scale: ${String(
        ref.kind,
      ).toLowerCase()}s "${ref.name}" not found`;
      this.ctx.events.record(
        hpa,
        'Warning',
        'FailedGetScale',
        message,
        'horizontal-pod-autoscaler',
      );
      this.writeStatus(hpa, { currentReplicas: 0, desiredReplicas: 0 }, [
        cond('AbleToScale', 'False', 'FailedGetScale', message),
      ]);
      return;
    }
    const metric = (spec.metrics ?? []).find(
      (m: any) => m.type === 'Resource' && m.resource?.name === 'cpu',
    );
    const target =
      metric?.resource?.target?.averageUtilization ?? DEFAULT_TARGET;
    const current = deployment.spec.replicas ?? 1;
    const pods = this.readyPods(deployment);
    const requested = pods.reduce((t, p) => t + p.request, 0);
    if (pods.length === 0 || requested === 0) {
      const message = `the HPA was unable to compute the replica count: ${
        pods.length
          ? 'missing request for cpu'
          : 'no metrics returned from resource metrics API'
      }`;
      this.ctx.events.record(
        hpa,
        'Warning',
        'FailedGetResourceMetric',
        message,
        'horizontal-pod-autoscaler',
      );
      this.writeStatus(
        hpa,
        { currentReplicas: current, desiredReplicas: current },
        [
          cond(
            'AbleToScale',
            'True',
            'SucceededGetScale',
            "the HPA controller was able to get the target's current scale",
          ),
          cond('ScalingActive', 'False', 'FailedGetResourceMetric', message),
        ],
      );
      return;
    }
    const used = pods.reduce((t, p) => t + p.used, 0);
    const utilisation = Math.round((100 * used) / requested);
    const window = now - this.ctx.timings.hpaDownscaleStabilizationMs;
    const recent = (this.recommendations.get(key) ?? []).filter(
      r => r.at >= window,
    );
    const decision = decideReplicas({
      currentReplicas: current,
      readyPods: pods.length,
      utilisation,
      targetUtilisation: target,
      minReplicas: spec.minReplicas ?? 1,
      maxReplicas: spec.maxReplicas,
      recentRecommendations: recent.map(r => r.replicas),
    });
    recent.push({
      at: now,
      replicas: Math.min(
        Math.max(decision.recommendation, spec.minReplicas ?? 1),
        spec.maxReplicas,
      ),
    });
    this.recommendations.set(key, recent);

    const desired = decision.desiredReplicas;
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (desired !== current) {
      this.ctx.ops.updateScale(
        DEPLOYMENTS,
        deployment.metadata.namespace!,
        deployment.metadata.name,
        s => ({
          ...s,
          spec: { replicas: desired },
        }),
      );
      lastScaleTime = timestamp(now);
      this.ctx.events.record(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${desired}; reason: ${rescaleReason(
          current,
          desired,
          spec.minReplicas ?? 1,
          spec.maxReplicas,
        )}`,
        'horizontal-pod-autoscaler',
      );
    }
    this.writeStatus(
      hpa,
      {
        lastScaleTime,
        currentReplicas: current,
        desiredReplicas: desired,
        currentMetrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              current: {
                averageValue: `${Math.round(used / pods.length)}m`,
                averageUtilization: utilisation,
              },
            },
          },
        ],
      },
      [
        ableToScale(desired !== current, decision.stabilized, desired),
        cond(
          'ScalingActive',
          'True',
          'ValidMetricFound',
          `the HPA was able to successfully calculate a replica count from ${CPU_METRIC}`,
        ),
        decision.limited
          ? cond(
              'ScalingLimited',
              'True',
              decision.limited,
              `the desired replica count is ${
                decision.limited === 'TooManyReplicas'
                  ? 'more than the maximum'
                  : 'less than the minimum'
              } replica count`,
            )
          : cond(
              'ScalingLimited',
              'False',
              'DesiredWithinRange',
              'the desired count is within the acceptable range',
            ),
      ],
    );
  }

  /** Ready, running pods of the Deployment with their CPU request and usage in millicores. */
  private readyPods(deployment: KubeObject) {
    const match: Record<string, string> =
      deployment.spec.selector?.matchLabels ?? {};
    return this.ctx.store
      .select(
        '/pods',
        deployment.metadata.namespace,
        pod =>
          !pod.metadata.deletionTimestamp &&
          isReady(pod) &&
          Object.entries(match).every(
            ([k, v]) => pod.metadata.labels?.[k] === v,
          ),
      )
      .map(pod => ({
        request: (pod.spec.containers ?? []).reduce(
          (t: number, c: any) => t + millicores(c.resources?.requests?.cpu),
          0,
        ),
        used: this.usage(pod.metadata.uid!)?.cpuMillicores ?? 0,
      }));
  }

  /** Writes the status when it changed; a condition keeps its transition time while its status holds. */
  private writeStatus(
    hpa: KubeObject,
    status: Record<string, unknown>,
    conditions: Condition[],
  ) {
    const previous: any[] = hpa.status?.conditions ?? [];
    const next = {
      observedGeneration: hpa.metadata.generation,
      ...status,
      conditions: conditions.map(c => {
        const before = previous.find(p => p.type === c.type);
        return {
          ...c,
          lastTransitionTime:
            before?.status === c.status
              ? before.lastTransitionTime
              : timestamp(),
        };
      }),
    };
    if (deepEqual(next, hpa.status)) return;
    this.ctx.ops.update(
      HPAS,
      hpa.metadata.namespace!,
      hpa.metadata.name,
      { ...hpa, status: next },
      { subresource: 'status' },
    );
  }
}

function cond(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
): Condition {
  return { type, status, reason, message };
}

function ableToScale(rescaled: boolean, stabilized: boolean, desired: number) {
  if (rescaled)
    return cond(
      'AbleToScale',
      'True',
      'SucceededRescale',
      `the HPA controller was able to update the target scale to ${desired}`,
    );
  if (stabilized)
    return cond(
      'AbleToScale',
      'True',
      'ScaleDownStabilized',
      'recent recommendations were higher than current one, applying the highest recent recommendation',
    );
  return cond(
    'AbleToScale',
    'True',
    'ReadyForNewScale',
    'recommended size matches current size',
  );
}

/** The reason kube-controller-manager gives in its SuccessfulRescale event. */
function rescaleReason(
  current: number,
  desired: number,
  min: number,
  max: number,
) {
  if (current < min) return 'Current number of replicas below Spec.MinReplicas';
  if (current > max) return 'Current number of replicas above Spec.MaxReplicas';
  return desired > current
    ? `${CPU_METRIC} above target`
    : 'All metrics below target';
}
