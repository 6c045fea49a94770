import {
  HttpAuthService,
  LoggerService,
  LifecycleService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunbookMetricsProvider } from '@nexus-cos/plugin-runbook-node';
import { readRunbookConfig } from '../config';
import { readClusters } from '../kubernetes/clusters';
import { KubernetesClients } from '../kubernetes/KubernetesClients';
import { ClusterCache } from './ClusterCache';
import { readHealthConfig } from './config';
import { HealthService } from './HealthService';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import { createHealthRouter } from './router';

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
  let cache: ClusterCache | undefined;
  if (cluster) {
    cache = new ClusterCache(cluster, config.watch, deps.logger);
    cache.start();
    deps.lifecycle.addShutdownHook(() => cache!.stop());
  }
  const health = new HealthService({
    catalog: deps.catalog,
    cache,
    core: cluster && new KubernetesClients([cluster]).for(cluster.name).core,
    metrics:
      deps.metrics ??
      PrometheusMetricsProvider.fromConfig(deps.config, deps.logger),
    thresholds: config.thresholds,
  });
  return {
    cache,
    router: createHealthRouter({ httpAuth: deps.httpAuth, health }),
  };
}
