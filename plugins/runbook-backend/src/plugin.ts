import { randomUUID } from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { runbookPermissions } from '@nexus-cos/plugin-runbook-common';
import {
  RunbookActionExecutor,
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
import { AuditTrail } from './audit/AuditTrail';
import { readRunbookConfig } from './config';
import { AuditStore } from './database/AuditStore';
import { IdempotencyStore } from './database/IdempotencyStore';
import { LockStore } from './database/LockStore';
import { applyDatabaseMigrations } from './database/migrations';
import { RunStore } from './database/RunStore';
import { readDrTargets, readPostgresBinDir } from './backup/config';
import { DrDrillExecutor } from './backup/DrDrillExecutor';
import { PostgresBackupProvider } from './backup/PostgresBackupProvider';
import { ChecklistExecutor } from './checklist/ChecklistExecutor';
import { readMaintenanceWindows } from './checklist/maintenanceWindow';
import { ActionDispatcher } from './engine/ActionDispatcher';
import { RunbookResolver } from './engine/RunbookResolver';
import { RunService } from './engine/RunService';
import { RunWorker } from './engine/RunWorker';
import { readClusters } from './kubernetes/clusters';
import { KubernetesClients } from './kubernetes/KubernetesClients';
import { KubernetesExecutor } from './kubernetes/KubernetesExecutor';
import { createRouter } from './service/router';
import { setUpIncidents } from './incidents/setUpIncidents';
import { setUpOnCall } from './oncall/setUpOnCall';
import { setUpHealth } from './health/setUpHealth';

/** Idempotency keys are honoured for a day, as Stripe does. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The runbook backend plugin: the actions engine and its audit trail.
 * @public
 */
export const runbookPlugin = createBackendPlugin({
  pluginId: 'runbook',
  register(env) {
    let customExecutor: RunbookActionExecutor | undefined;
    env.registerExtensionPoint(runbookActionExecutorExtensionPoint, {
      setExecutor(executor) {
        if (customExecutor)
          throw new Error('A runbook action executor was already set');
        customExecutor = executor;
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
      },
      async init(deps) {
        const { httpRouter, database, logger, auditor, scheduler } = deps;
        const config = readRunbookConfig(deps.config);
        const clusters = readClusters(deps.config);
        const db = await database.getClient();
        if (!database.migrations?.skip) await applyDatabaseMigrations(db);
        deps.permissionsRegistry.addPermissions(runbookPermissions);

        const clients = new KubernetesClients(clusters);
        const drTargets = readDrTargets(deps.config);
        const executor = new ActionDispatcher({
          cluster:
            customExecutor ??
            new KubernetesExecutor(clients, config.engine.pollIntervalMs),
          checklist: new ChecklistExecutor({
            clients,
            maintenanceWindows: readMaintenanceWindows(deps.config),
          }),
          drDrill: new DrDrillExecutor({
            targets: drTargets,
            providers: [
              ...backupProviders,
              new PostgresBackupProvider(readPostgresBinDir(deps.config)),
            ],
            clients,
          }),
        });
        const instanceId = randomUUID();
        const runs = new RunStore(db);
        const locks = new LockStore(db);
        const audit = new AuditTrail({
          store: new AuditStore(db),
          auditor,
          logger,
          anchorEvery: config.audit.anchorEvery,
        });
        const resolver = new RunbookResolver({
          catalog: deps.catalog,
          config,
          cluster: config.cluster ?? clusters[0]?.name,
          drTargets,
        });
        const worker = new RunWorker({
          runs,
          locks,
          audit,
          executor: () => executor,
          signals: deps.signals,
          logger,
          instanceId,
          lockTtlMs: config.engine.lockTtlMs,
          pollIntervalMs: config.engine.pollIntervalMs,
        });
        const idempotency = new IdempotencyStore(db);
        const health = setUpHealth({ ...deps, metrics: metricsProvider });
        const service = new RunService({
          db,
          resolver,
          permissions: deps.permissions,
          runs,
          locks,
          idempotency,
          audit,
          worker,
          executor: () => executor,
          liveState: target => health.liveState(target),
          instanceId,
          lockTtlMs: config.engine.lockTtlMs,
        });

        httpRouter.use(
          createRouter({ httpAuth: deps.httpAuth, runs: service, audit }),
        );
        const oncall = setUpOnCall({ ...deps, provider: onCallProvider });
        httpRouter.use(oncall.router);
        const incidents = await setUpIncidents({
          ...deps,
          db,
          audit,
          contacts: oncall.contacts,
          providers: incidentProviders,
        });
        httpRouter.use(incidents.router);
        httpRouter.use(health.router);

        await scheduler.scheduleTask({
          id: 'runbook-janitor',
          scope: 'local',
          frequency: { seconds: config.engine.janitorIntervalSeconds },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 0 },
          fn: async () => {
            const recovered = await worker.recoverExpired(() =>
              resolver.defaultLimits(),
            );
            if (recovered)
              logger.info(`Released ${recovered} expired runbook lock(s)`);
            await idempotency.deleteOlderThan(
              Date.now() - IDEMPOTENCY_KEY_TTL_MS,
            );
          },
        });
        await scheduler.scheduleTask({
          id: 'runbook-audit-anchor',
          scope: 'local',
          frequency: { seconds: config.audit.anchorIntervalSeconds },
          timeout: { minutes: 5 },
          fn: () => audit.anchorHead(),
        });
      },
    });
  },
});
