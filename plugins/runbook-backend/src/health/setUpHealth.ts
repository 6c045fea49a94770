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
 * `runbook.metrics.prometheus.baseUrl` is set. The cluster services run on (the engine's
 * `runbook.cluster`, else the first configured one) is watched when the backend holds
 * its credentials, and read per request with the user's token when only the user does
 * (oidc, google, aks, ...). The cache stops with the backend.
 */
export function setUpHealth(deps: {
  config: Config;
  /** The cluster the services run on, as the engine resolves it. */
  cluster?: ClusterDetails;
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
  const { cluster } = deps;
  let source: ClusterSource;
  if (!cluster) {
    source = {
      type: 'none',
      why: 'No cluster configured: add one to kubernetes.clusterLocatorMethods (type config)',
    };
  } else if (
    WATCHABLE_AUTH.includes(cluster.authProvider ?? 'serviceAccount')
  ) {
    const cache = new ClusterCache(cluster, config.watch, deps.logger);
    cache.start();
    deps.lifecycle.addShutdownHook(() => cache.stop());
    source = {
      type: 'watch',
      name: cluster.name,
      cache,
      core: deps.clients.for(cluster.name).core,
    };
  } else {
    source = {
      type: 'user',
      name: cluster.name,
      reads: new UserClusterReads(cluster, config.userReads),
    };
  }
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
    cluster: source,
    metrics,
    thresholds: config.thresholds,
    security: deps.security,
  });
  const cache = source.type === 'watch' ? source.cache : undefined;
  return {
    service: health,
    /** The metrics provider health reads, which the engine's analysis uses too. */
    metrics,
    router: createHealthRouter({ httpAuth: deps.httpAuth, health }),
    /** The Runbook tab's live state, from the cache only: a page view never reaches the cluster. */
    liveState(target: RunbookTarget): LiveState {
      if (!cache) {
        throw new Error(
          source.type === 'none'
            ? source.why
            : `cluster ${source.name} is not watched: the backend holds no credentials of its own for it`,
        );
      }
      if (target.cluster !== cache.cluster.name) {
        throw new Error(
          `cluster ${target.cluster} is not watched (only ${cache.cluster.name} is)`,
        );
      }
      const objects = cache.objects();
      if (!objects)
        throw new Error(`cluster ${cache.cluster.name} not synced yet`);
      return liveStateFromCache(target, objects);
    },
  };
}
