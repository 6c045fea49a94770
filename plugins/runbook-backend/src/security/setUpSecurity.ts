import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { RunbookActionExecutors } from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import type { DrTargetConfig } from '../backup/config';
import type { ClusterDetails } from '../kubernetes/clusters';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import { AccessReviewStore } from './AccessReviewStore';
import { readSecurityConfig } from './config';
import { renewCertificate } from './renewCertificate';
import { reviewAccess } from './reviewAccess';
import { rotateDbPassword } from './rotateDbPassword';
import { rotateSecret } from './rotateSecret';
import { createSecurityRouter } from './router';
import { SecurityInventory } from './SecurityInventory';
import { SecurityService } from './SecurityService';
import { VulnerabilityUploadStore } from './VulnerabilityUploadStore';

/** Auth providers whose credentials live in the backend's own config. */
const OWN_CREDENTIALS = ['serviceAccount', 'localKubectlProxy'];

/** The executors of the security actions, which the engine registers with the rest. */
export type SecurityExecutors = Pick<
  RunbookActionExecutors,
  'renew-certificate' | 'rotate-secret' | 'rotate-db-password' | 'review-access'
>;

/**
 * Security operations: the cluster sweep (on a schedule, and after each security run),
 * the reads and the overview, Trivy uploads, and the executors of renew-certificate,
 * rotate-secret, rotate-db-password and review-access.
 */
export async function setUpSecurity(deps: {
  config: Config;
  db: Knex;
  /** The cluster the services run on, as the engine resolves it. */
  cluster?: ClusterDetails;
  clients: KubernetesClients;
  drTargets: Map<string, DrTargetConfig>;
  pollIntervalMs: number;
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  audit: AuditTrail;
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const config = readSecurityConfig(deps.config);
  // Like health's watch cache, the sweep needs credentials of the backend's own.
  const cluster =
    deps.cluster &&
    OWN_CREDENTIALS.includes(deps.cluster.authProvider ?? 'serviceAccount')
      ? deps.cluster
      : undefined;
  const inventory = new SecurityInventory({
    cluster: cluster && {
      name: cluster.name,
      clients: () => deps.clients.for(cluster.name),
    },
    noCluster:
      deps.cluster && !cluster
        ? `Cluster ${deps.cluster.name} is read with each user's own ${deps.cluster.authProvider} credentials; security views need credentials of the backend's own (serviceAccount)`
        : undefined,
    logger: deps.logger,
  });
  const reviews = new AccessReviewStore(deps.db);
  const uploads = new VulnerabilityUploadStore(deps.db);
  const service = new SecurityService({
    catalog: deps.catalog,
    permissions: deps.permissions,
    audit: deps.audit,
    inventory,
    reviews,
    uploads,
    config,
  });
  await deps.scheduler.scheduleTask({
    id: 'runbook-security-sweep',
    scope: 'local',
    frequency: { seconds: config.refreshIntervalSeconds },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 0 },
    fn: async () => {
      // A failed sweep is logged by the inventory; the last good one stays.
      await inventory.refresh().catch(() => undefined);
      await service.reloadUploads();
    },
  });
  const shared = {
    clients: deps.clients,
    pollIntervalMs: deps.pollIntervalMs,
    inventory,
  };
  const executors: SecurityExecutors = {
    'renew-certificate': renewCertificate(shared),
    'rotate-secret': rotateSecret({ ...shared, rotation: config.rotation }),
    'rotate-db-password': rotateDbPassword({
      ...shared,
      rotation: config.rotation,
      drTargets: deps.drTargets,
      passwords: config.databasePasswords,
    }),
    'review-access': reviewAccess({
      reviews,
      inventory,
      reviewMaxAgeDays: config.reviewMaxAgeDays,
    }),
  };
  return {
    service,
    executors,
    router: createSecurityRouter({
      httpAuth: deps.httpAuth,
      security: service,
      maxReportBytes: config.vulnerabilityReports.maxBodyBytes,
    }),
  };
}
