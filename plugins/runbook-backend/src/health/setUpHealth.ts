import {
  HttpAuthService,
  LoggerService,
  LifecycleService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  LiveState,
  RunbookMetricsProvider,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import type { ClusterDetails } from '../kubernetes/clusters';
import { KubernetesClients } from '../kubernetes/KubernetesClients';
import { ClusterCache } from './ClusterCache';
import { readHealthConfig } from './config';
import type { SecuritySignals } from './deriveHealth';
import { ClusterSource, HealthService } from './HealthService';
import { liveStateFromCache } from './liveState';
import { UserClusterReads } from './UserClusterReads';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import { createHealthRouter } from './router';

/** Auth providers whose credentials live in the backend's own config. */
export const WATCHABLE_AUTH = ['serviceAccount', 'localKubectlProxy'];

/**
 * Metrics come from a module's provider, else from Prometheus when
 * `runbook.metrics.prometheus.baseUrl` is set. Every cluster services run on (all
 * configured ones, or only `runbook.cluster`) gets a watch cache of its own when the
 * backend holds its credentials, and is read per request with the user's token when only
 * the user does (oidc, google, aks, ...). The caches stop with the backend.
 */
export function setUpHealth(deps: {
  config: Config;
  /** The clusters services run on, in config order. */
  clusters: ClusterDetails[];
  clients: KubernetesClients;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  metrics?: RunbookMetricsProvider;
  /** The security feature's signals of a service (cached; never a cluster request). */
  security?: (ref: {
    namespace: string;
    service: string;
  }) => SecuritySignals | undefined;
}) {
  const config = readHealthConfig(deps.config);
  const caches = new Map<string, ClusterCache>();
  const sources = deps.clusters.map((cluster): ClusterSource => {
    if (WATCHABLE_AUTH.includes(cluster.authProvider ?? 'serviceAccount')) {
      const cache = new ClusterCache(cluster, config.watch, deps.logger);
      cache.start();
      deps.lifecycle.addShutdownHook(() => cache.stop());
      caches.set(cluster.name, cache);
      return {
        type: 'watch',
        name: cluster.name,
        cache,
        core: deps.clients.for(cluster.name).core,
      };
    }
    return {
      type: 'user',
      name: cluster.name,
      reads: new UserClusterReads(cluster, config.userReads),
    };
  });
  let metrics = deps.metrics;
  if (!metrics) {
    const prometheus = PrometheusMetricsProvider.fromConfig(
      deps.config,
      deps.logger,
    );
    // Every service's metrics are fetched from startup on, so page views never wait.
    prometheus?.start();
    if (prometheus) deps.lifecycle.addShutdownHook(() => prometheus.stop());
    metrics = prometheus;
  }
  const health = new HealthService({
    catalog: deps.catalog,
    clusters: sources,
    metrics,
    thresholds: config.thresholds,
    security: deps.security,
  });
  return {
    service: health,
    /** The metrics provider health reads, which the engine's analysis uses too. */
    metrics,
    router: createHealthRouter({ httpAuth: deps.httpAuth, health }),
    /**
     * The Runbook tab's live state in the target's cluster, from that cluster's cache
     * only: a page view never reaches a cluster.
     */
    liveState(target: RunbookTarget): LiveState {
      const cache = caches.get(target.cluster);
      if (!cache) {
        throw new Error(
          deps.clusters.some(c => c.name === target.cluster)
            ? `cluster ${target.cluster} is not watched: the backend holds no credentials of its own for it`
            : `cluster ${target.cluster || '(none)'} is not watched (${
                caches.size
                  ? `watched: ${[...caches.keys()].join(', ')}`
                  : 'no cluster is configured'
              })`,
        );
      }
      const objects = cache.objects();
      // Why it is not (its health part says why the cluster cannot be read).
      if (!objects) throw new Error(`cluster ${target.cluster} not synced yet`);
      return liveStateFromCache(target, objects);
    },
  };
}
