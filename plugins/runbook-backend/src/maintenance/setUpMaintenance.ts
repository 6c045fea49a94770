import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import type { BackupService } from '../backup/BackupService';
import type { DrTargetConfig } from '../backup/config';
import type { HealthService } from '../health/HealthService';
import { WATCHABLE_AUTH } from '../health/setUpHealth';
import type { ClusterDetails } from '../kubernetes/clusters';
import {
  KubernetesClients,
  kubeConfigFor,
} from '../kubernetes/KubernetesClients';
import { RunStore } from '../runs/RunStore';
import { backupVerificationCheck } from './checks/backupVerification';
import { capacityCheck } from './checks/capacity';
import { drillRecencyCheck } from './checks/drillRecency';
import { errorLogsCheck } from './checks/errorLogs';
import { healthSweepCheck } from './checks/healthSweep';
import {
  certificateExpiryCheck,
  criticalVulnerabilitiesCheck,
} from './checks/security';
import type { SecurityService } from '../security/SecurityService';
import type { RunbookClock } from '../clock';
import { readMaintenanceConfig } from './config';
import { MaintenanceRunner } from './MaintenanceRunner';
import { MaintenanceService } from './MaintenanceService';
import { MaintenanceStore } from './MaintenanceStore';
import { createMaintenanceRouter } from './router';
import { maintenanceTasks } from './tasks';

/**
 * The runbook's routine maintenance: the tasks of `runbook.maintenance.tasks` and the
 * checks they name (built in, or added by modules), the calendar routes, and one global
 * schedule that runs due checks and tells owners of overdue items.
 */
export async function setUpMaintenance(deps: {
  config: Config;
  db: Knex;
  audit: AuditTrail;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  scheduler: SchedulerService;
  logger: LoggerService;
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  clock: RunbookClock;
  /** Checks that modules added through the extension point. */
  checks: RunbookMaintenanceCheck[];
  health: HealthService;
  clients: KubernetesClients;
  cluster?: ClusterDetails;
  drTargets: Map<string, DrTargetConfig>;
  backups: BackupService;
  security: SecurityService;
}) {
  const config = readMaintenanceConfig(deps.config);
  // Checks that read the cluster need credentials of the backend's own.
  const { cluster } = deps;
  const readable =
    cluster && WATCHABLE_AUTH.includes(cluster.authProvider ?? 'serviceAccount')
      ? cluster
      : undefined;
  const unreadable = cluster
    ? !readable &&
      `Cluster ${cluster.name} is read with each user's own ${cluster.authProvider} sign-in; the backend holds no credentials of its own to check it`
    : 'No cluster configured';
  const builtIn = [
    healthSweepCheck({ health: deps.health, auth: deps.auth }),
    errorLogsCheck({
      catalog: deps.catalog,
      auth: deps.auth,
      clients: deps.clients,
      cluster: readable?.name,
      unreadable: unreadable || undefined,
      concurrency: config.checks.logConcurrency,
    }),
    backupVerificationCheck({
      targets: deps.drTargets,
      backups: deps.backups,
    }),
    drillRecencyCheck({
      targets: deps.drTargets,
      runs: new RunStore(deps.db),
      maxAgeDays: config.checks.drillMaxAgeDays,
    }),
    capacityCheck({
      clients: deps.clients,
      cluster: readable?.name,
      unreadable: unreadable || undefined,
      metrics:
        readable && kubeConfigFor(readable).makeApiClient(CustomObjectsApi),
      headroomPercent: config.checks.headroomPercent,
    }),
    certificateExpiryCheck({ security: deps.security }),
    criticalVulnerabilitiesCheck({ security: deps.security }),
  ];
  const tasks = maintenanceTasks(config, [...builtIn, ...deps.checks]);
  const store = new MaintenanceStore(deps.db);
  const runner = new MaintenanceRunner({
    tasks,
    store,
    audit: deps.audit,
    notifications: deps.notifications,
    logger: deps.logger,
    timezone: config.timezone,
    checkTimeoutMs: config.checkTimeoutSeconds * 1000,
  });
  await deps.scheduler.scheduleTask({
    id: 'runbook-maintenance',
    scope: 'global',
    frequency: { seconds: config.checkIntervalSeconds },
    timeout: { seconds: config.checkTimeoutSeconds * (tasks.length + 1) },
    fn: () => runner.tick(deps.clock.now()),
  });
  const maintenance = new MaintenanceService({
    tasks,
    store,
    audit: deps.audit,
    permissions: deps.permissions,
    timezone: config.timezone,
    now: () => deps.clock.now(),
  });
  return {
    router: createMaintenanceRouter({ httpAuth: deps.httpAuth, maintenance }),
  };
}
