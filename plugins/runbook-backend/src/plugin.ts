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
  RunbookIncidentProvider,
  RunbookMetricsProvider,
  RunbookOnCallProvider,
  runbookActionExecutorExtensionPoint,
  runbookBackupProviderExtensionPoint,
  runbookIncidentProviderExtensionPoint,
  runbookMetricsProviderExtensionPoint,
  runbookOnCallProviderExtensionPoint,
} from '@nexus-cos/plugin-runbook-node';
import { registerRunbookActions } from './actionsRegistry/registerRunbookActions';
import { setUpAudit } from './audit/setUpAudit';
import { setUpBackup } from './backup/setUpBackup';
import { ChecklistExecutor } from './checklist/ChecklistExecutor';
import { readMaintenanceWindows } from './checklist/maintenanceWindow';
import { readRunbookConfig } from './config';
import { setUpHealth } from './health/setUpHealth';
import { setUpIncidents } from './incidents/setUpIncidents';
import { readClusters, runbookCluster } from './kubernetes/clusters';
import { KubernetesClients } from './kubernetes/KubernetesClients';
import { applyDatabaseMigrations } from './migrations';
import { setUpOnCall } from './oncall/setUpOnCall';
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
    const incidentProviders: RunbookIncidentProvider[] = [];
    env.registerExtensionPoint(runbookIncidentProviderExtensionPoint, {
      addIncidentProvider(provider) {
        incidentProviders.push(provider);
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
          config: deps.config,
          clients,
          providers: backupProviders,
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
          cluster: cluster?.name,
          clients,
          drTargets: backup.drTargets,
          tasks: {
            drDrill: backup.drDrill,
            checklist: new ChecklistExecutor({
              clients,
              maintenanceWindows: readMaintenanceWindows(deps.config),
            }),
            security: security.executors,
          },
          overrides,
          cachedLiveState: target => health.liveState(target),
          audit: audit.trail,
        });

        httpRouter.use(runs.router);
        httpRouter.use(audit.router);
        httpRouter.use(oncall.router);
        httpRouter.use(incidents.router);
        httpRouter.use(health.router);
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
