import type { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { HealthService } from '../health/HealthService';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import { readDependencyConnections } from './config';
import { DiagnosticsExecutor } from './DiagnosticsExecutor';

/** The diagnostics executor, with the dependency connections and thresholds of config. */
export function setUpDiagnostics(deps: {
  config: Config;
  clients: KubernetesClients;
  catalog: CatalogService;
  auth: AuthService;
  health: HealthService;
}) {
  return new DiagnosticsExecutor({
    clients: deps.clients,
    catalog: deps.catalog,
    auth: deps.auth,
    health: deps.health,
    connections: readDependencyConnections(deps.config),
    timeoutMs:
      deps.config.getOptionalNumber(
        'runbook.diagnostics.dependencyTimeoutMs',
      ) ?? 5000,
  });
}
