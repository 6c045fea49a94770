import { randomUUID } from 'node:crypto';
import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type {
  LiveState,
  RunbookActionExecutors,
  RunbookMetricsProvider,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { MetricAnalysis } from '../analysis/MetricAnalysis';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import type { DrTargetConfig } from '../backup/config';
import type { RunbookConfig } from '../config';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import { ActionDeps, createActionExecutors } from './actions';
import { IdempotencyStore } from './IdempotencyStore';
import { readLiveState } from './liveState';
import { LockStore } from './LockStore';
import { createRunsRouter } from './router';
import { RunAdmission } from './RunAdmission';
import { RunbookResolver } from './RunbookResolver';
import { RunbookView } from './RunbookView';
import { RunPermissions } from './RunPermissions';
import { RunService } from './RunService';
import { RunStore } from './RunStore';
import { RunWorker } from './RunWorker';

/** Idempotency keys are honoured for a day, as Stripe does. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The action engine: executors, stores, worker and routes, plus the janitor that ends
 * runs whose backend died and forgets old idempotency keys.
 */
export async function setUpRuns(deps: {
  db: Knex;
  config: RunbookConfig;
  /** The cluster actions act on; undefined when none is configured. */
  cluster?: string;
  clients: KubernetesClients;
  drTargets: Map<string, DrTargetConfig>;
  /** Executors of tasks that live in their own features. */
  tasks: Pick<
    ActionDeps,
    'checklist' | 'drDrill' | 'diagnostics' | 'backups' | 'security'
  >;
  /** Executors that modules set through the extension point. */
  overrides: Partial<RunbookActionExecutors>;
  /** The watch cache's live state. */
  cachedLiveState: (target: RunbookTarget) => LiveState;
  /** Where changes are analysed; none without Prometheus or a module's provider. */
  metrics?: RunbookMetricsProvider;
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  audit: AuditTrail;
  signals: SignalsService;
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const { db, config, audit, logger } = deps;
  const executors: RunbookActionExecutors = {
    ...createActionExecutors({
      clients: deps.clients,
      pollIntervalMs: config.engine.pollIntervalMs,
      analysis: new MetricAnalysis({
        metrics: deps.metrics,
        config: config.analysis,
      }),
      ...deps.tasks,
    }),
    ...deps.overrides,
  };
  const instanceId = randomUUID();
  const runs = new RunStore(db);
  const locks = new LockStore(db);
  const idempotency = new IdempotencyStore(db);
  const permissions = new RunPermissions({
    permissions: deps.permissions,
    audit,
  });
  const resolver = new RunbookResolver({
    catalog: deps.catalog,
    config,
    cluster: deps.cluster,
    drTargets: deps.drTargets,
  });
  const worker = new RunWorker({
    db,
    runs,
    locks,
    audit,
    executors,
    signals: deps.signals,
    logger,
    instanceId,
    lockTtlMs: config.engine.lockTtlMs,
    pollIntervalMs: config.engine.pollIntervalMs,
  });
  const liveStates = {
    cached: deps.cachedLiveState,
    current: readLiveState(deps.clients),
  };
  const admission = new RunAdmission({
    db,
    resolver,
    permissions,
    executors,
    liveStates,
    runs,
    locks,
    idempotency,
    audit,
    worker,
    instanceId,
    lockTtlMs: config.engine.lockTtlMs,
    ownCredentials: () => deps.auth.getOwnServiceCredentials(),
  });
  const view = new RunbookView({
    resolver,
    permissions,
    executors,
    liveStates,
    runs,
    locks,
  });
  const service = new RunService({ resolver, permissions, runs, worker });

  await deps.scheduler.scheduleTask({
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
      await idempotency.deleteOlderThan(Date.now() - IDEMPOTENCY_KEY_TTL_MS);
    },
  });

  return {
    admission,
    view,
    runs: service,
    worker,
    // What features built on the engine (fleet runs) share with it.
    instanceId,
    store: runs,
    idempotency,
    resolver,
    permissions,
    liveStates,
    router: createRunsRouter({
      httpAuth: deps.httpAuth,
      view,
      admission,
      runs: service,
    }),
  };
}
