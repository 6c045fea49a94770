import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
} from '@kubernetes/client-node';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { ClusterDetails } from '../kubernetes/clusters';
import { kubeConfigFor } from '../kubernetes/KubernetesClients';
import {
  slimDeployment,
  slimEvent,
  slimHpa,
  slimPod,
  slimReplicaSet,
  slimService,
} from './slim';
import type { KubeObjects } from './workload';

/** Tuning of per-request reads (`runbook.health.userReads`). */
export type UserReadSettings = {
  /** How long one user's read of a namespace is reused. */
  ttlMs: number;
  /** Cached reads kept at most; the oldest go first. */
  maxEntries: number;
  /** Namespaces read at once, so that an overview does not burst the API server. */
  concurrency: number;
  /** Events listed per namespace. */
  maxEvents: number;
  /** A list that takes longer fails: one slow cluster holds a page this long at most. */
  timeoutMs: number;
};

/**
 * Reads of a cluster whose credentials only the user holds (oidc, google, aks, ...), made
 * with the user's token when a request brings one. A namespace's objects are listed once
 * per user and reused for `ttlMs`, so a page polling health, events and an overview cost
 * one read per namespace and interval. Tokens are kept only as hashes.
 */
export class UserClusterReads {
  readonly #reads = new Map<
    string,
    { expires: number; objects: Promise<KubeObjects> }
  >();
  readonly #limit;

  constructor(
    readonly cluster: ClusterDetails,
    private readonly settings: UserReadSettings,
  ) {
    this.#limit = pLimit(settings.concurrency);
  }

  /** How long one list may take. */
  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  /** The Kubernetes plugin's name of the token this cluster needs, e.g. `oidc.okta`. */
  get authProvider(): string {
    const { authProvider = 'serviceAccount', oidcTokenProvider } = this.cluster;
    return authProvider === 'oidc' && oidcTokenProvider
      ? `oidc.${oidcTokenProvider}`
      : authProvider;
  }

  /** The namespace's objects as `token` may see them, from a read at most `ttlMs` old. */
  objects(token: string, namespace: string): Promise<KubeObjects> {
    const key = createHash('sha256')
      .update(token)
      .update('\0')
      .update(namespace)
      .digest('hex');
    const now = Date.now();
    const hit = this.#reads.get(key);
    if (hit && hit.expires > now) return hit.objects;
    this.#evict(now);
    const entry = {
      expires: now + this.settings.ttlMs,
      objects: this.#limit(() => this.#list(token, namespace)),
    };
    this.#reads.set(key, entry);
    // A failed read (expired token, outage) is not reused.
    entry.objects.catch(() => {
      if (this.#reads.get(key) === entry) this.#reads.delete(key);
    });
    return entry.objects;
  }

  /** The core API as the user, for log tails. */
  core(token: string): CoreV1Api {
    return this.#config(token).makeApiClient(CoreV1Api);
  }

  #config(token: string) {
    return kubeConfigFor(
      { ...this.cluster, serviceAccountToken: token },
      { timeoutMs: this.settings.timeoutMs },
    );
  }

  async #list(token: string, namespace: string): Promise<KubeObjects> {
    const kc = this.#config(token);
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const labelled = { namespace, labelSelector: ANNOTATION_KUBERNETES_ID };
    const [deployments, replicaSets, pods, services, hpas, events] =
      await Promise.all([
        apps.listNamespacedDeployment(labelled),
        apps.listNamespacedReplicaSet(labelled),
        core.listNamespacedPod(labelled),
        core.listNamespacedService(labelled),
        autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
        core.listNamespacedEvent({ namespace, limit: this.settings.maxEvents }),
      ]);
    return {
      deployments: deployments.items.map(slimDeployment),
      replicaSets: replicaSets.items.map(slimReplicaSet),
      pods: pods.items.map(slimPod),
      services: services.items.map(slimService),
      hpas: hpas.items.map(slimHpa),
      events: events.items.map(slimEvent),
    };
  }

  #evict(now: number) {
    for (const [key, read] of this.#reads) {
      if (read.expires <= now) this.#reads.delete(key);
    }
    // Map order is insertion order: the oldest reads go first.
    for (const key of this.#reads.keys()) {
      if (this.#reads.size < this.settings.maxEntries) break;
      this.#reads.delete(key);
    }
  }
}
