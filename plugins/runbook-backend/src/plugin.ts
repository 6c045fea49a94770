import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { runbookPermissions } from '@nexus-cos/plugin-runbook-common';
import {
  RunbookActionExecutors,
  RunbookBackupProvider,
  RunbookBackupStore,
  RunbookIncidentProvider,
  RunbookMaintenanceCheck,
  RunbookMetricsProvider,
  RunbookOnCallProvider,
  runbookActionExecutorExtensionPoint,
  runbookBackupProviderExtensionPoint,
  runbookBackupStoreExtensionPoint,
  runbookIncidentProviderExtensionPoint,
  runbookMaintenanceCheckExtensionPoint,
  runbookMetricsProviderExtensionPoint,
  runbookOnCallProviderExtensionPoint,
} from '@nexus-cos/plugin-runbook-node';
import { registerRunbookActions } from './actionsRegistry/registerRunbookActions';
import { createApprovalsRouter } from './approvals/router';
import { setUpAudit } from './audit/setUpAudit';
import { scheduleBackupRuns, setUpBackup } from './backup/setUpBackup';
import { ChecklistExecutor } from './checklist/ChecklistExecutor';
import { readMaintenanceWindows } from './checklist/maintenanceWindow';
import { readRunbookConfig } from './config';
import { setUpDiagnostics } from './diagnostics/setUpDiagnostics';
import { setUpHealth } from './health/setUpHealth';
import { setUpIncidents } from './incidents/setUpIncidents';
import { readClusters, runbookCluster } from './kubernetes/clusters';
import { KubernetesClients } from './kubernetes/KubernetesClients';
import { runbookClockServiceRef } from './clock';
import { setUpMaintenance } from './maintenance/setUpMaintenance';
import { applyDatabaseMigrations } from './migrations';
import { setUpOnCall } from './oncall/setUpOnCall';
import { setUpFleet } from './fleet/setUpFleet';
import { setUpRuns } from './runs/setUpRuns';
import { setUpSecurity } from './security/setUpSecurity';

/**
 * The runbook backend plugin: authorized, locked, idempotent, durable and audited
 * runbook actions, with health, incidents and on-call. This file only wires: it reads
 * the shared config and cluster clients once and hands them to each feature.
 * @public
 */
export const runbookPlugin = createBackendPlugin({
  pluginId: 'runbook',
  register(env) {
    const overrides: Partial<RunbookActionExecutors> = {};
    env.registerExtensionPoint(runbookActionExecutorExtensionPoint, {
      setExecutor(action, executor) {
        if (overrides[action])
          throw new Error(`An executor of ${action} was already set`);
        (overrides as Record<string, unknown>)[action] = executor;
      },
    });
    const backupProviders: RunbookBackupProvider[] = [];
    env.registerExtensionPoint(runbookBackupProviderExtensionPoint, {
      addBackupProvider(provider) {
        backupProviders.push(provider);
      },
    });
    let backupStore: RunbookBackupStore | undefined;
    env.registerExtensionPoint(runbookBackupStoreExtensionPoint, {
      setBackupStore(store) {
        if (backupStore)
          throw new Error('A runbook backup store was already set');
        backupStore = store;
      },
    });
    const incidentProviders: RunbookIncidentProvider[] = [];
    env.registerExtensionPoint(runbookIncidentProviderExtensionPoint, {
      addIncidentProvider(provider) {
        incidentProviders.push(provider);
      },
    });
    const maintenanceChecks: RunbookMaintenanceCheck[] = [];
    env.registerExtensionPoint(runbookMaintenanceCheckExtensionPoint, {
      addCheck(check) {
        maintenanceChecks.push(check);
      },
    });
    let onCallProvider: RunbookOnCallProvider | undefined;
    env.registerExtensionPoint(runbookOnCallProviderExtensionPoint, {
      setOnCallProvider(provider) {
        if (onCallProvider)
          throw new Error('A runbook on-call provider was already set');
        onCallProvider = provider;
      },
    });
    let metricsProvider: RunbookMetricsProvider | undefined;
    env.registerExtensionPoint(runbookMetricsProviderExtensionPoint, {
      setMetricsProvider(provider) {
        if (metricsProvider)
          throw new Error('A runbook metrics provider was already set');
        metricsProvider = provider;
      },
    });

    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        httpAuth: coreServices.httpAuth,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        auth: coreServices.auth,
        notifications: notificationService,
        lifecycle: coreServices.lifecycle,
        actionsRegistry: actionsRegistryServiceRef,
        clock: runbookClockServiceRef,
      },
      async init(deps) {
        const { httpRouter, database } = deps;
        const config = readRunbookConfig(deps.config);
        const clusters = readClusters(deps.config);
        const clients = new KubernetesClients(clusters);
        const cluster = runbookCluster(clusters, config.cluster);
        const db = await database.getClient();
        if (!database.migrations?.skip) await applyDatabaseMigrations(db);
        deps.permissionsRegistry.addPermissions(runbookPermissions);

        const audit = await setUpAudit({ ...deps, db, config });
        const backup = setUpBackup({
          ...deps,
          db,
          clients,
          providers: backupProviders,
          store: backupStore,
          audit: audit.trail,
        });
        const security = await setUpSecurity({
          ...deps,
          db,
          cluster,
          clients,
          drTargets: backup.drTargets,
          pollIntervalMs: config.engine.pollIntervalMs,
          audit: audit.trail,
        });
        const health = setUpHealth({
          ...deps,
          cluster,
          clients,
          metrics: metricsProvider,
          security: ref => security.service.signals(ref),
        });
        const oncall = setUpOnCall({ ...deps, provider: onCallProvider });
        const incidents = await setUpIncidents({
          ...deps,
          db,
          audit: audit.trail,
          contacts: oncall.contacts,
          providers: incidentProviders,
        });
        const runs = await setUpRuns({
          ...deps,
          db,
          config,
          rootConfig: deps.config,
          contacts: oncall.contacts,
          incidents: { store: incidents.store, service: incidents.incidents },
          cluster: cluster?.name,
          clients,
          drTargets: backup.drTargets,
          tasks: {
            drDrill: backup.drDrill,
            backups: backup.executors,
            checklist: new ChecklistExecutor({
              clients,
              maintenanceWindows: readMaintenanceWindows(deps.config),
            }),
            diagnostics: setUpDiagnostics({
              ...deps,
              clients,
              health: health.service,
            }),
            security: security.executors,
          },
          overrides,
          cachedLiveState: target => health.liveState(target),
          metrics: health.metrics,
          audit: audit.trail,
        });

        const fleet = await setUpFleet({
          ...deps,
          db,
          config,
          rootConfig: deps.config,
          runs,
          audit: audit.trail,
        });

        httpRouter.use(runs.router);
        httpRouter.use(fleet.router);
        httpRouter.use(
          createApprovalsRouter({
            httpAuth: deps.httpAuth,
            runs: runs.approvals,
            fleet: fleet.approvals,
          }),
        );
        httpRouter.use(audit.router);
        httpRouter.use(oncall.router);
        httpRouter.use(incidents.router);
        httpRouter.use(health.router);
        httpRouter.use(backup.router);
        await scheduleBackupRuns({ ...deps, admission: runs.admission });
        const maintenance = await setUpMaintenance({
          ...deps,
          db,
          audit: audit.trail,
          checks: maintenanceChecks,
          health: health.service,
          clients,
          cluster,
          drTargets: backup.drTargets,
          backups: backup.backups,
          security: security.service,
        });
        httpRouter.use(maintenance.router);
        httpRouter.use(security.router);

        registerRunbookActions({
          actionsRegistry: deps.actionsRegistry,
          admission: runs.admission,
          runs: runs.runs,
          view: runs.view,
          health: health.service,
          oncall: oncall.service,
          incidents: incidents.queries,
          security: security.service,
        });
      },
    });
  },
});
