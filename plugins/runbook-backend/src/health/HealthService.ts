import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ClusterAuth,
  ClusterHealth,
  clusterTokenHeader,
  HealthMetric,
  HealthOverview,
  HealthReason,
  ServiceEvent,
  ServiceHealth,
  ServiceLogTail,
  ServiceMetrics,
  worstHealthStatus,
} from '@nexus-cos/plugin-runbook-common';
import type {
  MetricsTarget,
  RunbookMetricsProvider,
} from '@nexus-cos/plugin-runbook-node';
import { clustersOfEntity } from '../kubernetes/clusters';
import {
  apiErrorMessage,
  failureMessage,
} from '../kubernetes/KubernetesClients';
import { ClusterCache } from './ClusterCache';
import {
  HealthThresholds,
  SecuritySignals,
  Unreadable,
  deriveHealth,
} from './deriveHealth';
import { UserClusterReads } from './UserClusterReads';
import { KubeObjects, eventsOf, workloadOf } from './workload';

/** How health reads one cluster services run on. */
export type ClusterSource =
  /** Credentials of its own: the watch cache, and the core API for log tails. */
  | { type: 'watch'; name: string; cache: ClusterCache; core: CoreV1Api }
  /** Credentials only the user holds: per-request reads with the user's token. */
  | { type: 'user'; name: string; reads: UserClusterReads };

/** The user's tokens a request brought, by the auth provider they are for. */
export type ClusterTokens = (authProvider: string) => string | undefined;

const NO_TOKENS: ClusterTokens = () => undefined;

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

/** What one cluster holds of a namespace, or why it cannot say. */
type Kube = {
  objects?: KubeObjects;
  observedAt?: string;
  core?: CoreV1Api;
  unreadable?: Unreadable;
  /** Set when the cluster stopped answering: `objects` are what it last reported. */
  failure?: string;
};

/** A service's health in several clusters as one answer: reasons found in all once. */
function combine(
  parts: ClusterHealth[],
): Pick<ServiceHealth, 'status' | 'reasons' | 'observedAt'> {
  const key = (r: HealthReason) => `${r.code}\n${r.message}`;
  const everywhere = new Set(
    parts[0].reasons
      .map(key)
      .filter(k => parts.every(p => p.reasons.some(r => key(r) === k))),
  );
  const reasons: HealthReason[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    for (const reason of part.reasons) {
      const k = key(reason);
      if (!everywhere.has(k))
        reasons.push({ ...reason, cluster: part.cluster });
      else if (!seen.has(k)) reasons.push(reason);
      seen.add(k);
    }
  }
  const times = parts.flatMap(p => (p.observedAt ? [p.observedAt] : []));
  return {
    status: worstHealthStatus(parts.map(p => p.status)),
    reasons,
    ...(times.length ? { observedAt: times.sort()[0] } : {}),
  };
}

/**
 * Health of services from the watch caches (one per cluster) and the metrics provider;
 * events from the caches; pod logs on demand. A service has one part per cluster it runs
 * in; a cluster that cannot be read makes only its own part `unknown`. Entities are read
 * with the caller's credentials. Page views never wait on a watched cluster.
 */
export class HealthService {
  readonly #sources: Map<string, ClusterSource>;
  readonly #names: string[];

  constructor(
    private readonly o: {
      catalog: CatalogService;
      /** The clusters services run on, in config order. */
      clusters: ClusterSource[];
      metrics?: RunbookMetricsProvider;
      thresholds: HealthThresholds;
      /** Certificates and vulnerabilities of a service, from the security feature's cache. */
      security?: (ref: {
        namespace: string;
        service: string;
      }) => SecuritySignals | undefined;
    },
  ) {
    this.#sources = new Map(o.clusters.map(c => [c.name, c]));
    this.#names = o.clusters.map(c => c.name);
  }

  /** The clusters health reads, in config order. */
  get clusters(): string[] {
    return this.#names;
  }

  /** `tokens` are the user's, for clusters read per request. */
  async forEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
    tokens: ClusterTokens = NO_TOKENS,
  ): Promise<ServiceHealth> {
    return this.#health(await this.#entity(ref, credentials), true, tokens);
  }

  async overview(
    credentials: BackstageCredentials,
    tokens: ClusterTokens = NO_TOKENS,
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
      items.map(e => this.#health(e, false, tokens)),
    );
    const { clusterAuth } = this;
    const several = this.#names.length > 1;
    return {
      items: healths.map(
        ({ entityRef, status, reasons, observedAt, clusters }) => ({
          entityRef,
          status,
          reasons,
          ...(observedAt ? { observedAt } : {}),
          ...(several && clusters
            ? {
                clusters: clusters.map(c => ({
                  cluster: c.cluster,
                  status: c.status,
                  reasons: c.reasons,
                  ...(c.observedAt ? { observedAt: c.observedAt } : {}),
                })),
              }
            : {}),
        }),
      ),
      ...(clusterAuth ? { clusterAuth } : {}),
      ...(several ? { clusters: this.#names } : {}),
    };
  }

  /**
   * What a caller must send for the first cluster read with the user's token (each part
   * names its own).
   */
  get clusterAuth(): ClusterAuth | undefined {
    for (const source of this.o.clusters) {
      if (source.type === 'user') return this.#authOf(source);
    }
    return undefined;
  }

  /** The auth providers whose tokens a request may bring, one per user-read cluster. */
  get tokenProviders(): string[] {
    return [
      ...new Set(
        this.o.clusters.flatMap(c =>
          c.type === 'user' ? [c.reads.authProvider] : [],
        ),
      ),
    ];
  }

  /** Events of the service in `cluster`, or in all its clusters, newest first. */
  async events(
    ref: CompoundEntityRef,
    options: { limit: number; cluster?: string },
    credentials: BackstageCredentials,
    tokens: ClusterTokens = NO_TOKENS,
  ): Promise<ServiceEvent[]> {
    const entity = await this.#entity(ref, credentials);
    const target = this.#target(entity);
    const names = this.#chosen(entity, target.entityRef, options.cluster);
    const kubes = await Promise.all(
      names.map(name => this.#kube(name, target.namespace, tokens)),
    );
    this.#refuseUnauthorized(kubes);
    const several = names.length > 1;
    return kubes
      .flatMap((kube, i) =>
        kube.objects
          ? eventsOf(
              kube.objects,
              target.namespace,
              target.service,
              options.limit,
            ).map(e => (several ? { cluster: names[i], ...e } : e))
          : [],
      )
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
      .slice(0, options.limit);
  }

  /**
   * The last `tail` lines of one of the service's pods (the first ready one by default),
   * in `cluster`, or in the first of its clusters that has the pod.
   */
  async logs(
    ref: CompoundEntityRef,
    options: {
      pod?: string;
      tail: number;
      errorsOnly: boolean;
      cluster?: string;
    },
    credentials: BackstageCredentials,
    tokens: ClusterTokens = NO_TOKENS,
  ): Promise<ServiceLogTail> {
    const entity = await this.#entity(ref, credentials);
    const target = this.#target(entity);
    const names = this.#chosen(entity, target.entityRef, options.cluster);
    const kubes = await Promise.all(
      names.map(name => this.#kube(name, target.namespace, tokens)),
    );
    this.#refuseUnauthorized(kubes);
    let found: { cluster: string; pod: string; core: CoreV1Api } | undefined;
    for (let i = 0; i < names.length && !found; i++) {
      const { objects, core } = kubes[i];
      if (!objects || !core) continue;
      const pods = workloadOf(
        objects,
        names[i],
        target.namespace,
        target.service,
      ).pods;
      const pod = options.pod
        ? pods.find(p => p.name === options.pod)
        : pods.find(p => p.ready) ?? pods[0];
      if (pod) found = { cluster: names[i], pod: pod.name, core };
    }
    if (!found) {
      throw new NotFoundError(
        options.pod
          ? `pod: ${options.pod} is not a pod of ${target.entityRef}`
          : `${target.entityRef} has no pods`,
      );
    }
    let text: string;
    try {
      text = await found.core.readNamespacedPodLog({
        name: found.pod,
        namespace: target.namespace,
        tailLines: options.tail,
      });
    } catch (error) {
      throw new NotFoundError(
        `No log of ${found.pod}: ${apiErrorMessage(error)}`,
      );
    }
    const lines = text.split('\n').filter(Boolean);
    return {
      ...(names.length > 1 ? { cluster: found.cluster } : {}),
      pod: found.pod,
      lines: options.errorsOnly
        ? lines.filter(l => l.includes('ERROR'))
        : lines,
      errorsOnly: options.errorsOnly,
    };
  }

  /** The entity's clusters, or the one asked for, which must be one of them. */
  #chosen(entity: Entity, entityRef: string, cluster?: string): string[] {
    const mapped = clustersOfEntity(entity, this.#names);
    if (cluster === undefined) return mapped.names;
    if (!(mapped.names as string[]).includes(cluster)) {
      throw new InputError(
        `cluster: ${cluster} is not a cluster of ${entityRef} (${
          mapped.none ?? `its clusters: ${mapped.names.join(', ')}`
        })`,
      );
    }
    return [cluster];
  }

  /**
   * Events and logs have no reasons to carry a missing or refused token: when no cluster
   * could be read for that reason, it is a 403. Without a cluster there is nothing to show.
   */
  #refuseUnauthorized(kubes: Kube[]) {
    const refused = kubes.find(
      k => k.unreadable?.code === 'cluster-auth-required',
    );
    if (refused && !kubes.some(k => k.objects)) {
      throw new NotAllowedError(refused.unreadable!.message);
    }
  }

  #authOf(source: Extract<ClusterSource, { type: 'user' }>): ClusterAuth {
    return { cluster: source.name, authProvider: source.reads.authProvider };
  }

  /**
   * One cluster's objects for a namespace: from its watch cache without a request, or
   * read with the user's token. `unreadable` says why there are none; `failure` that the
   * cluster stopped answering.
   */
  async #kube(
    name: string,
    namespace: string,
    tokens: ClusterTokens,
  ): Promise<Kube> {
    const source = this.#sources.get(name)!;
    if (source.type === 'watch') {
      const { cache } = source;
      const failure = cache.failure;
      const objects = cache.objects();
      if (failure) {
        const when = new Date(failure.since).toISOString();
        return {
          objects,
          observedAt: cache.observedAt,
          core: source.core,
          failure: objects
            ? `Cluster ${name} could not be read since ${when}: ${failure.message}; showing what it last reported`
            : `Cluster ${name} could not be read: ${failure.message}`,
        };
      }
      return { objects, observedAt: cache.observedAt, core: source.core };
    }
    const { reads } = source;
    const token = tokens(reads.authProvider);
    if (!token) {
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
      const objects = await reads.objects(token, namespace);
      return {
        objects,
        observedAt: new Date().toISOString(),
        core: reads.core(token),
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
            : `Cluster ${name} could not be read: ${failureMessage(
                error,
                reads.timeoutMs,
              )}`,
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

  #target(entity: Entity): Omit<MetricsTarget, 'cluster'> {
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
      namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default',
      service,
    };
  }

  async #health(
    entity: Entity,
    series: boolean,
    tokens: ClusterTokens,
  ): Promise<ServiceHealth> {
    const target = this.#target(entity);
    const mapped = clustersOfEntity(entity, this.#names);
    const [metrics, kubes] = await Promise.all([
      this.o.metrics
        ? this.o.metrics.getMetrics(
            { ...target, cluster: mapped.names[0] ?? '' },
            series ? { series } : { series, only: STATUS_METRICS },
          )
        : NO_METRICS,
      Promise.all(
        mapped.names.map(name => this.#kube(name, target.namespace, tokens)),
      ),
    ]);
    if (mapped.none) {
      const derived = deriveHealth(
        undefined,
        metrics,
        this.o.thresholds,
        Date.now(),
        { code: 'no-cluster', message: mapped.none },
      );
      return { entityRef: target.entityRef, ...derived, metrics };
    }
    const security = this.o.security?.(target);
    const parts = mapped.names.map((name, i): ClusterHealth => {
      const kube = kubes[i];
      const workload =
        kube.objects &&
        workloadOf(kube.objects, name, target.namespace, target.service);
      const { status, reasons } = kube.failure
        ? {
            status: 'unknown' as const,
            reasons: [
              {
                code: 'cluster-unreachable' as const,
                status: 'unknown' as const,
                message: kube.failure,
              },
            ],
          }
        : deriveHealth(
            workload,
            metrics,
            this.o.thresholds,
            Date.now(),
            kube.unreadable,
            security,
          );
      const source = this.#sources.get(name)!;
      return {
        cluster: name,
        status,
        reasons,
        ...(workload ? { workload } : {}),
        ...(kube.observedAt ? { observedAt: kube.observedAt } : {}),
        ...(source.type === 'user'
          ? { clusterAuth: this.#authOf(source) }
          : {}),
      };
    });
    const [only] = parts;
    const whole =
      parts.length === 1
        ? {
            status: only.status,
            reasons: only.reasons,
            ...(only.workload ? { workload: only.workload } : {}),
            ...(only.observedAt ? { observedAt: only.observedAt } : {}),
          }
        : combine(parts);
    const clusterAuth = parts.find(p => p.clusterAuth)?.clusterAuth;
    return {
      entityRef: target.entityRef,
      ...whole,
      metrics,
      ...(clusterAuth ? { clusterAuth } : {}),
      clusters: parts,
    };
  }
}

/**
 * A service's health as seen in one cluster: its part there, with the service's
 * metrics; the whole answer when it has no part in that cluster.
 */
export function healthIn(
  health: ServiceHealth,
  cluster: string,
): ServiceHealth {
  const part = health.clusters?.find(c => c.cluster === cluster);
  if (!part || health.clusters!.length === 1) return health;
  const { clusters: _c, ...rest } = health;
  return {
    ...rest,
    status: part.status,
    reasons: part.reasons,
    ...(part.workload ? { workload: part.workload } : {}),
    ...(part.observedAt ? { observedAt: part.observedAt } : {}),
  };
}
