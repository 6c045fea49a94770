import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  Watch,
} from '@kubernetes/client-node';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import type { ClusterDetails } from '../kubernetes/clusters';
import { kubeConfigFor } from '../kubernetes/KubernetesClients';
import { ListWatch, ReadFailure } from './ListWatch';
import {
  slimDeployment,
  slimEvent,
  slimHpa,
  slimPod,
  slimReplicaSet,
  slimService,
} from './slim';
import type { KubeObjects } from './workload';

/** Tuning of the watch cache (`runbook.health.watch`). */
export type WatchSettings = {
  backoff: { initialMs: number; maxMs: number };
  watchTimeoutSeconds: number;
  maxEvents: number;
  /** A list, or a watch's response, that takes longer fails: the cluster hangs. */
  requestTimeoutMs: number;
  /** A watch that hears nothing (not even a bookmark) this long is reopened. */
  silenceMs: number;
};

const HAS_SERVICE_LABEL = ANNOTATION_KUBERNETES_ID;

/**
 * The watch-based cache of one cluster: Deployments, ReplicaSets, Pods and Services that
 * carry `backstage.io/kubernetes-id`, all HPAs, and the newest Events. Reads never reach
 * the cluster. A cluster that hangs or refuses is a `failure` with the reason, which
 * concerns this cluster only: each cluster has its own cache, connections and timeouts.
 */
export class ClusterCache {
  readonly #deployments;
  readonly #replicaSets;
  readonly #pods;
  readonly #services;
  readonly #hpas;
  readonly #events;

  constructor(
    readonly cluster: ClusterDetails,
    settings: WatchSettings,
    logger: LoggerService,
  ) {
    const kc = kubeConfigFor(cluster, {
      timeoutMs: settings.requestTimeoutMs,
    });
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const common = {
      watch: new Watch(kc),
      logger: logger.child({ cluster: cluster.name }),
      backoff: settings.backoff,
      watchTimeoutSeconds: settings.watchTimeoutSeconds,
      requestTimeoutMs: settings.requestTimeoutMs,
      silenceMs: settings.silenceMs,
    };
    const listed = (
      p: Promise<{ items: unknown[]; metadata?: { resourceVersion?: string } }>,
    ) =>
      p.then(l => ({
        items: l.items,
        resourceVersion: l.metadata?.resourceVersion,
      }));
    this.#deployments = new ListWatch({
      ...common,
      name: `${cluster.name} deployments`,
      path: '/apis/apps/v1/deployments',
      labelSelector: HAS_SERVICE_LABEL,
      list: () =>
        listed(
          apps.listDeploymentForAllNamespaces({
            labelSelector: HAS_SERVICE_LABEL,
          }),
        ),
      slim: slimDeployment,
    });
    this.#replicaSets = new ListWatch({
      ...common,
      name: `${cluster.name} replicasets`,
      path: '/apis/apps/v1/replicasets',
      labelSelector: HAS_SERVICE_LABEL,
      list: () =>
        listed(
          apps.listReplicaSetForAllNamespaces({
            labelSelector: HAS_SERVICE_LABEL,
          }),
        ),
      slim: slimReplicaSet,
    });
    this.#pods = new ListWatch({
      ...common,
      name: `${cluster.name} pods`,
      path: '/api/v1/pods',
      labelSelector: HAS_SERVICE_LABEL,
      list: () =>
        listed(
          core.listPodForAllNamespaces({ labelSelector: HAS_SERVICE_LABEL }),
        ),
      slim: slimPod,
    });
    this.#services = new ListWatch({
      ...common,
      name: `${cluster.name} services`,
      path: '/api/v1/services',
      labelSelector: HAS_SERVICE_LABEL,
      list: () =>
        listed(
          core.listServiceForAllNamespaces({
            labelSelector: HAS_SERVICE_LABEL,
          }),
        ),
      slim: slimService,
    });
    this.#hpas = new ListWatch({
      ...common,
      name: `${cluster.name} horizontalpodautoscalers`,
      path: '/apis/autoscaling/v2/horizontalpodautoscalers',
      list: () =>
        listed(autoscaling.listHorizontalPodAutoscalerForAllNamespaces()),
      slim: slimHpa,
    });
    this.#events = new ListWatch({
      ...common,
      name: `${cluster.name} events`,
      path: '/api/v1/events',
      list: () => listed(core.listEventForAllNamespaces()),
      slim: slimEvent,
      maxItems: settings.maxEvents,
    });
  }

  get #all() {
    return [
      this.#deployments,
      this.#replicaSets,
      this.#pods,
      this.#services,
      this.#hpas,
      this.#events,
    ];
  }

  start() {
    this.#all.forEach(w => w.start());
  }

  stop() {
    this.#all.forEach(w => w.stop());
  }

  get synced() {
    return this.#all.every(w => w.synced);
  }

  async whenSynced() {
    await Promise.all(this.#all.map(w => w.whenSynced()));
  }

  /**
   * Why the cluster cannot be read now (the oldest failure of its resource types), until
   * a list succeeds again.
   */
  get failure(): ReadFailure | undefined {
    const failures = this.#all.flatMap(w => (w.failure ? [w.failure] : []));
    if (!failures.length) return undefined;
    return failures.reduce((a, b) => (b.since < a.since ? b : a));
  }

  /** When the slowest resource type last heard from the cluster. */
  get observedAt(): string | undefined {
    const times = this.#all.map(w => w.lastContact);
    if (times.some(t => t === undefined)) return undefined;
    return new Date(Math.min(...(times as number[]))).toISOString();
  }

  #snapshot?: { version: number; objects: KubeObjects };

  /**
   * Everything cached, for the pure readers of workload.ts; undefined until synced. The
   * same object until the cache changes, so that what readers index from it is reused.
   */
  objects(): KubeObjects | undefined {
    if (!this.synced) return undefined;
    const version = this.#all.reduce((sum, w) => sum + w.version, 0);
    if (this.#snapshot?.version === version) return this.#snapshot.objects;
    const values = <T>(w: { items: Map<string, T> }) => [...w.items.values()];
    const objects = {
      services: values(this.#services),
      deployments: values(this.#deployments),
      replicaSets: values(this.#replicaSets),
      hpas: values(this.#hpas),
      pods: values(this.#pods),
      events: values(this.#events),
    };
    this.#snapshot = { version, objects };
    return objects;
  }
}
