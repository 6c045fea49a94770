import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ClusterAuth,
  clusterTokenHeader,
  HealthMetric,
  HealthOverview,
  ServiceEvent,
  ServiceHealth,
  ServiceLogTail,
  ServiceMetrics,
} from '@nexus-cos/plugin-runbook-common';
import type {
  MetricsTarget,
  RunbookMetricsProvider,
} from '@nexus-cos/plugin-runbook-node';
import { apiErrorMessage } from '../kubernetes/KubernetesClients';
import { ClusterCache } from './ClusterCache';
import {
  HealthThresholds,
  SecuritySignals,
  Unreadable,
  deriveHealth,
} from './deriveHealth';
import { UserClusterReads } from './UserClusterReads';
import { KubeObjects, eventsOf, workloadOf } from './workload';

/** How health reads the cluster services run on. */
export type ClusterSource =
  /** Credentials of its own: the watch cache, and the core API for log tails. */
  | { type: 'watch'; name: string; cache: ClusterCache; core: CoreV1Api }
  /** Credentials only the user holds: per-request reads with the user's token. */
  | { type: 'user'; name: string; reads: UserClusterReads }
  | { type: 'none'; why: string };

const NO_METRICS: ServiceMetrics = {
  source: 'none',
  unavailable: 'metrics: Prometheus not configured',
  current: {},
  series: {},
};

/** What deriveHealth looks at: all the overview asks the metrics provider for. */
const STATUS_METRICS: HealthMetric[] = [
  'errorRatio',
  'latencyP99Seconds',
  'cpuCores',
  'memoryBytes',
];

/**
 * Health of services from the watch cache and the metrics provider; events from the
 * cache; pod logs on demand. Entities are read with the caller's credentials.
 */
export class HealthService {
  constructor(
    private readonly o: {
      catalog: CatalogService;
      /** How the cluster services run on is read. */
      cluster: ClusterSource;
      metrics?: RunbookMetricsProvider;
      thresholds: HealthThresholds;
      /** Certificates and vulnerabilities of a service, from the security feature's cache. */
      security?: (ref: {
        namespace: string;
        service: string;
      }) => SecuritySignals | undefined;
    },
  ) {}

  /** `clusterToken` is the user's token, for a cluster read per request. */
  async forEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    clusterToken?: string,
  ): Promise<ServiceHealth> {
    return this.#health(
      await this.#entity(ref, credentials),
      true,
      clusterToken,
    );
  }

  async overview(
    credentials: BackstageCredentials,
    clusterToken?: string,
  ): Promise<HealthOverview> {
    const { items } = await this.o.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    const healths = await Promise.all(
      items.map(e => this.#health(e, false, clusterToken)),
    );
    const { clusterAuth } = this;
    return {
      items: healths.map(({ entityRef, status, reasons, observedAt }) => ({
        entityRef,
        status,
        reasons,
        ...(observedAt ? { observedAt } : {}),
      })),
      ...(clusterAuth ? { clusterAuth } : {}),
    };
  }

  /** What a caller must send when the cluster is read with the user's token. */
  get clusterAuth(): ClusterAuth | undefined {
    const { cluster } = this.o;
    return cluster.type === 'user'
      ? {
          cluster: cluster.reads.cluster.name,
          authProvider: cluster.reads.authProvider,
        }
      : undefined;
  }

  async events(
    ref: CompoundEntityRef,
    limit: number,
    credentials: BackstageCredentials,
    clusterToken?: string,
  ): Promise<ServiceEvent[]> {
    const target = this.#target(await this.#entity(ref, credentials));
    const kube = await this.#readable(target.namespace, clusterToken);
    return kube.objects
      ? eventsOf(kube.objects, target.namespace, target.service, limit)
      : [];
  }

  /** The last `tail` lines of one of the service's pods (the first ready one by default). */
  async logs(
    ref: CompoundEntityRef,
    options: { pod?: string; tail: number; errorsOnly: boolean },
    credentials: BackstageCredentials,
    clusterToken?: string,
  ): Promise<ServiceLogTail> {
    const target = this.#target(await this.#entity(ref, credentials));
    const kube = await this.#readable(target.namespace, clusterToken);
    const pods = kube.objects
      ? workloadOf(
          kube.objects,
          target.cluster,
          target.namespace,
          target.service,
        ).pods
      : [];
    const pod = options.pod
      ? pods.find(p => p.name === options.pod)
      : pods.find(p => p.ready) ?? pods[0];
    if (!pod || !kube.core) {
      throw new NotFoundError(
        options.pod
          ? `pod: ${options.pod} is not a pod of ${target.entityRef}`
          : `${target.entityRef} has no pods`,
      );
    }
    let text: string;
    try {
      text = await kube.core.readNamespacedPodLog({
        name: pod.name,
        namespace: target.namespace,
        tailLines: options.tail,
      });
    } catch (error) {
      throw new NotFoundError(
        `No log of ${pod.name}: ${apiErrorMessage(error)}`,
      );
    }
    const lines = text.split('\n').filter(Boolean);
    return {
      pod: pod.name,
      lines: options.errorsOnly
        ? lines.filter(l => l.includes('ERROR'))
        : lines,
      errorsOnly: options.errorsOnly,
    };
  }

  /**
   * `#kube` for events and logs, which have no reasons to carry a missing or refused
   * token: that is a 403. Without a cluster there is simply nothing to show.
   */
  async #readable(namespace: string, clusterToken: string | undefined) {
    const kube = await this.#kube(namespace, clusterToken);
    if (kube.unreadable?.code === 'cluster-auth-required') {
      throw new NotAllowedError(kube.unreadable.message);
    }
    return kube;
  }

  /**
   * The cluster's objects for a namespace: from the watch cache without a request, or
   * read with the user's token. `unreadable` says why there are none.
   */
  async #kube(
    namespace: string,
    clusterToken: string | undefined,
  ): Promise<{
    objects?: KubeObjects;
    observedAt?: string;
    core?: CoreV1Api;
    unreadable?: Unreadable;
  }> {
    const { cluster } = this.o;
    if (cluster.type === 'none') {
      return { unreadable: { code: 'no-cluster', message: cluster.why } };
    }
    if (cluster.type === 'watch') {
      return {
        objects: cluster.cache.objects(),
        observedAt: cluster.cache.observedAt,
        core: cluster.core,
      };
    }
    const { reads } = cluster;
    const name = reads.cluster.name;
    if (!clusterToken) {
      return {
        unreadable: {
          code: 'cluster-auth-required',
          // Said to users first; the header is for API callers.
          message: `Cluster ${name} is read with your own ${
            reads.authProvider
          } sign-in, and this request brought none: sign in to ${
            reads.authProvider
          } to see its workload (API callers: the ${clusterTokenHeader(
            reads.authProvider,
          )} header)`,
        },
      };
    }
    try {
      const objects = await reads.objects(clusterToken, namespace);
      return {
        objects,
        observedAt: new Date().toISOString(),
        core: reads.core(clusterToken),
      };
    } catch (error) {
      const refused =
        error instanceof ApiException && [401, 403].includes(error.code);
      return {
        unreadable: {
          code: refused ? 'cluster-auth-required' : 'no-cluster',
          message: refused
            ? `Cluster ${name} refused your ${
                reads.authProvider
              } credentials for namespace ${namespace}: ${apiErrorMessage(
                error,
              )}`
            : `Cluster ${name} could not be read: ${apiErrorMessage(error)}`,
        },
      };
    }
  }

  async #entity(ref: CompoundEntityRef, credentials: BackstageCredentials) {
    const entity = await this.o.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(ref)} in the catalog`,
      );
    }
    return entity;
  }

  #target(entity: Entity): MetricsTarget {
    const annotations = entity.metadata.annotations ?? {};
    const service = annotations[ANNOTATION_KUBERNETES_ID];
    const entityRef = stringifyEntityRef(entity);
    if (!service) {
      throw new NotFoundError(
        `${entityRef} has no health: it lacks the ${ANNOTATION_KUBERNETES_ID} annotation`,
      );
    }
    return {
      entityRef,
      cluster: this.o.cluster.type === 'none' ? '' : this.o.cluster.name,
      namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default',
      service,
    };
  }

  async #health(
    entity: Entity,
    series: boolean,
    clusterToken: string | undefined,
  ): Promise<ServiceHealth> {
    const target = this.#target(entity);
    const [metrics, kube] = await Promise.all([
      this.o.metrics
        ? this.o.metrics.getMetrics(
            target,
            series ? { series } : { series, only: STATUS_METRICS },
          )
        : NO_METRICS,
      this.#kube(target.namespace, clusterToken),
    ]);
    const workload =
      kube.objects &&
      workloadOf(
        kube.objects,
        target.cluster,
        target.namespace,
        target.service,
      );
    const { status, reasons } = deriveHealth(
      workload,
      metrics,
      this.o.thresholds,
      Date.now(),
      kube.unreadable,
      this.o.security?.(target),
    );
    const { clusterAuth } = this;
    return {
      entityRef: target.entityRef,
      status,
      reasons,
      ...(workload ? { workload } : {}),
      metrics,
      ...(kube.observedAt ? { observedAt: kube.observedAt } : {}),
      ...(clusterAuth ? { clusterAuth } : {}),
    };
  }
}
