import { randomUUID } from 'node:crypto';
import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type {
  LiveState,
  RunbookActionExecutors,
  RunbookMetricsProvider,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import { MetricAnalysis } from '../analysis/MetricAnalysis';
import { ApprovalDesk } from '../approvals/ApprovalDesk';
import { ApprovalService } from '../approvals/ApprovalService';
import { readFreezes } from '../approvals/freezes';
import { readApprovalRules } from '../approvals/rules';
import type { AuditTrail } from '../audit/AuditTrail';
import type { DrTargetConfig } from '../backup/config';
import type { RunbookClock } from '../clock';
import type { RunbookConfig } from '../config';
import type { IncidentService } from '../incidents/IncidentService';
import type { IncidentStore } from '../incidents/IncidentStore';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import type { CatalogContacts } from '../oncall/CatalogContacts';
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
  /** For `runbook.approvals` and `runbook.freezes`. */
  rootConfig: Config;
  /** The clusters actions may act on, in config order (empty when none is configured). */
  clusters: string[];
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
  notifications: NotificationService;
  contacts: CatalogContacts;
  /** Emergency changes during a freeze name an incident and are noted on its timeline. */
  incidents: { store: IncidentStore; service: IncidentService };
  clock: RunbookClock;
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
    clusters: deps.clusters,
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
  const desk = new ApprovalDesk({
    audit,
    contacts: deps.contacts,
    notifications: deps.notifications,
    now: () => deps.clock.now(),
  });
  const approvals = new ApprovalService({
    db,
    rules: readApprovalRules(deps.rootConfig),
    freezes: readFreezes(deps.rootConfig),
    runs,
    locks,
    audit,
    resolver,
    permissions,
    executors,
    worker,
    desk,
    auth: deps.auth,
    incident: id => deps.incidents.store.get(id),
    noteOnIncident: async (id, message) => {
      await deps.incidents.service.systemNote(id, 'runbook', 'note', message);
    },
    instanceId,
    lockTtlMs: config.engine.lockTtlMs,
  });
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
    approvals,
    clusterError: (cluster, error) => deps.clients.unreachable(cluster, error),
  });
  const view = new RunbookView({
    resolver,
    permissions,
    executors,
    liveStates,
    runs,
    locks,
    approvals,
  });
  const service = new RunService({
    resolver,
    permissions,
    runs,
    worker,
    approvals,
  });

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

  // Expiry runs once across replicas; a waiting run holds no lock for the janitor to find.
  await deps.scheduler.scheduleTask({
    id: 'runbook-approvals-expiry',
    scope: 'global',
    frequency: { seconds: config.engine.janitorIntervalSeconds },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 0 },
    fn: async () => {
      const expired = await approvals.expireOverdue();
      if (expired)
        logger.info(`Expired ${expired} runbook approval request(s)`);
    },
  });

  return {
    admission,
    approvals,
    desk,
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
