import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
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
import { HealthThresholds, deriveHealth } from './deriveHealth';

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
      /** The cache of the cluster services run on; undefined when none is configured. */
      cache?: ClusterCache;
      /** Why there is no cache, when there is none. */
      noCluster?: string;
      /** The API of that cluster, for log tails. */
      core?: CoreV1Api;
      metrics?: RunbookMetricsProvider;
      thresholds: HealthThresholds;
    },
  ) {}

  async forEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<ServiceHealth> {
    return this.#health(await this.#entity(ref, credentials), true);
  }

  async overview(credentials: BackstageCredentials): Promise<HealthOverview> {
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
    const healths = await Promise.all(items.map(e => this.#health(e, false)));
    return {
      items: healths.map(({ entityRef, status, reasons, observedAt }) => ({
        entityRef,
        status,
        reasons,
        ...(observedAt ? { observedAt } : {}),
      })),
    };
  }

  async events(
    ref: CompoundEntityRef,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<ServiceEvent[]> {
    const target = this.#target(await this.#entity(ref, credentials));
    return this.o.cache?.events(target.namespace, target.service, limit) ?? [];
  }

  /** The last `tail` lines of one of the service's pods (the first ready one by default). */
  async logs(
    ref: CompoundEntityRef,
    options: { pod?: string; tail: number; errorsOnly: boolean },
    credentials: BackstageCredentials,
  ): Promise<ServiceLogTail> {
    const target = this.#target(await this.#entity(ref, credentials));
    const pods =
      this.o.cache?.workload(target.namespace, target.service)?.pods ?? [];
    const pod = options.pod
      ? pods.find(p => p.name === options.pod)
      : pods.find(p => p.ready) ?? pods[0];
    if (!pod || !this.o.core) {
      throw new NotFoundError(
        options.pod
          ? `pod: ${options.pod} is not a pod of ${target.entityRef}`
          : `${target.entityRef} has no pods`,
      );
    }
    let text: string;
    try {
      text = await this.o.core.readNamespacedPodLog({
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
      cluster: this.o.cache?.cluster.name ?? '',
      namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default',
      service,
    };
  }

  async #health(entity: Entity, series: boolean): Promise<ServiceHealth> {
    const target = this.#target(entity);
    const metrics = this.o.metrics
      ? await this.o.metrics.getMetrics(
          target,
          series ? { series } : { series, only: STATUS_METRICS },
        )
      : NO_METRICS;
    const workload = this.o.cache?.workload(target.namespace, target.service);
    const { status, reasons } = deriveHealth(
      workload,
      metrics,
      this.o.thresholds,
      Date.now(),
      this.o.cache ? undefined : this.o.noCluster,
    );
    const observedAt = this.o.cache?.observedAt;
    return {
      entityRef: target.entityRef,
      status,
      reasons,
      ...(workload ? { workload } : {}),
      metrics,
      ...(observedAt ? { observedAt } : {}),
    };
  }
}
