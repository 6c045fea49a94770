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
import { readRunbookConfig } from '../config';
import { readClusters } from '../kubernetes/clusters';
import { KubernetesClients } from '../kubernetes/KubernetesClients';
import { ClusterCache } from './ClusterCache';
import { readHealthConfig } from './config';
import { HealthService } from './HealthService';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import { createHealthRouter } from './router';

/** Auth providers whose credentials live in the backend's own config. */
const WATCHABLE_AUTH = ['serviceAccount', 'localKubectlProxy'];

/**
 * Metrics come from a module's provider, else from Prometheus when
 * `runbook.metrics.prometheus.baseUrl` is set. Starts the watch cache of the cluster services run on (the engine's `runbook.cluster`,
 * else the first configured one) and builds the health endpoints. The cache stops with
 * the backend.
 */
export function setUpHealth(deps: {
  config: Config;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  metrics?: RunbookMetricsProvider;
}) {
  const config = readHealthConfig(deps.config);
  const clusters = readClusters(deps.config);
  const name = readRunbookConfig(deps.config).cluster ?? clusters[0]?.name;
  const cluster = clusters.find(c => c.name === name);
  const authProvider = deps.config
    .getOptionalConfigArray('kubernetes.clusterLocatorMethods')
    ?.flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
    .find(c => c.getOptionalString('name') === name)
    ?.getOptionalString('authProvider');
  let noCluster: string | undefined;
  if (!cluster) {
    noCluster =
      'No cluster configured: add one to kubernetes.clusterLocatorMethods (type config)';
  } else if (authProvider && !WATCHABLE_AUTH.includes(authProvider)) {
    // Client-side auth (google, oidc, aks, ...): only the user's browser holds a token.
    noCluster = `Cluster ${cluster.name} uses authProvider ${authProvider}: the backend holds no credentials of its own to watch it`;
  }
  let cache: ClusterCache | undefined;
  if (cluster && !noCluster) {
    cache = new ClusterCache(cluster, config.watch, deps.logger);
    cache.start();
    deps.lifecycle.addShutdownHook(() => cache!.stop());
  }
  const health = new HealthService({
    catalog: deps.catalog,
    cache,
    noCluster,
    core:
      cache &&
      new KubernetesClients([cache.cluster]).for(cache.cluster.name).core,
    metrics:
      deps.metrics ??
      PrometheusMetricsProvider.fromConfig(deps.config, deps.logger),
    thresholds: config.thresholds,
  });
  return {
    cache,
    router: createHealthRouter({ httpAuth: deps.httpAuth, health }),
    /** The Runbook tab's live state, from the cache only: a page view never reaches the cluster. */
    liveState(target: RunbookTarget): LiveState {
      if (!cache) throw new Error(noCluster);
      if (target.cluster !== cache.cluster.name) {
        throw new Error(
          `cluster ${target.cluster} is not watched (only ${cache.cluster.name} is)`,
        );
      }
      const live = cache.liveState(target);
      if (!live)
        throw new Error(`cluster ${cache.cluster.name} not synced yet`);
      return live;
    },
  };
}
