import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  Watch,
} from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ServiceEvent,
  WorkloadState,
} from '@nexus-cos/plugin-runbook-common';
import type { LiveState, RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import type { ClusterDetails } from '../kubernetes/clusters';
import { kubeConfigFor } from '../kubernetes/KubernetesClients';
import { ListWatch } from './ListWatch';
import { liveStateFromCache } from './liveState';
import {
  slimDeployment,
  slimEvent,
  slimHpa,
  slimPod,
  slimReplicaSet,
  slimService,
} from './slim';

/** Tuning of the watch cache (`runbook.health.watch`). */
export type WatchSettings = {
  backoff: { initialMs: number; maxMs: number };
  watchTimeoutSeconds: number;
  maxEvents: number;
};

const HAS_SERVICE_LABEL = ANNOTATION_KUBERNETES_ID;

/**
 * The watch-based cache of one cluster: Deployments, ReplicaSets, Pods and Services that
 * carry `backstage.io/kubernetes-id`, all HPAs, and the newest Events. Reads never reach
 * the cluster.
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
    const kc = kubeConfigFor(cluster);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const common = {
      watch: new Watch(kc),
      logger: logger.child({ cluster: cluster.name }),
      backoff: settings.backoff,
      watchTimeoutSeconds: settings.watchTimeoutSeconds,
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

  /** When the slowest resource type last heard from the cluster. */
  get observedAt(): string | undefined {
    const times = this.#all.map(w => w.lastContact);
    if (times.some(t => t === undefined)) return undefined;
    return new Date(Math.min(...(times as number[]))).toISOString();
  }

  /** The service's Deployments (both colours), pods and HPA; undefined until synced. */
  workload(namespace: string, service: string): WorkloadState | undefined {
    if (!this.synced) return undefined;
    const mine = <T extends { namespace: string; service?: string }>(
      items: Iterable<T>,
    ) =>
      [...items].filter(
        o => o.namespace === namespace && o.service === service,
      );
    const deployments = mine(this.#deployments.items.values());
    const names = new Set(deployments.map(d => d.name));
    const hpa = [...this.#hpas.items.values()].find(
      h =>
        h.namespace === namespace &&
        h.target !== undefined &&
        names.has(h.target),
    );
    return {
      cluster: this.cluster.name,
      namespace,
      service,
      deployments: deployments.map(
        ({
          key: _k,
          namespace: _n,
          service: _s,
          image: _i,
          stoppedReplicas: _r,
          matchLabels: _m,
          ...d
        }) => d,
      ),
      pods: mine(this.#pods.items.values()).map(
        ({ key: _k, namespace: _n, service: _s, ...p }) => p,
      ),
      ...(hpa
        ? {
            hpa: {
              name: hpa.name,
              minReplicas: hpa.minReplicas,
              maxReplicas: hpa.maxReplicas,
              currentReplicas: hpa.currentReplicas,
              desiredReplicas: hpa.desiredReplicas,
            },
          }
        : {}),
    };
  }

  /** The target's live state as the Runbook tab shows it; undefined until synced. */
  liveState(target: RunbookTarget): LiveState | undefined {
    if (!this.synced) return undefined;
    const values = <T>(w: { items: Map<string, T> }) => [...w.items.values()];
    return liveStateFromCache(target, {
      services: values(this.#services),
      deployments: values(this.#deployments),
      replicaSets: values(this.#replicaSets),
      hpas: values(this.#hpas),
      pods: values(this.#pods),
    });
  }

  /** Events about the service's Deployments, ReplicaSets, pods and HPA, newest first. */
  events(namespace: string, service: string, limit: number): ServiceEvent[] {
    const names = new Set<string>();
    for (const list of [this.#deployments, this.#replicaSets, this.#pods]) {
      for (const o of list.items.values()) {
        if (o.namespace === namespace && o.service === service)
          names.add(o.name);
      }
    }
    for (const h of this.#hpas.items.values()) {
      if (h.namespace === namespace && h.target && names.has(h.target))
        names.add(h.name);
    }
    return [...this.#events.items.values()]
      .filter(e => e.namespace === namespace && names.has(e.objectName))
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .slice(0, limit)
      .map(({ type, reason, message, object, count, lastSeen }) => ({
        type,
        reason,
        message,
        object,
        count,
        lastSeen,
      }));
  }
}
