import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import type { RunbookConfig } from '../config';
import type { setUpRuns } from '../runs/setUpRuns';
import { FleetApprovals, waitingFleetRun } from './FleetApprovals';
import { FleetPermissions } from './FleetPermissions';
import { FleetRunner } from './FleetRunner';
import { FleetService } from './FleetService';
import { FleetStore } from './FleetStore';
import { createFleetRouter } from './router';

/** Services of one layer that run at once unless `runbook.fleet.parallelism` says otherwise. */
const DEFAULT_PARALLELISM = 4;
const MAX_PARALLELISM = 64;

/** `runbook.fleet.parallelism`, checked. */
export function readFleetParallelism(config: RootConfigService): number {
  const value =
    config.getOptionalNumber('runbook.fleet.parallelism') ??
    DEFAULT_PARALLELISM;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PARALLELISM) {
    throw new Error(
      `runbook.fleet.parallelism must be a whole number from 1 to ${MAX_PARALLELISM}, not ${value}`,
    );
  }
  return value;
}

/**
 * Fleet runs: start-all, stop-all and diagnostics over a System or the Domain, each
 * service as a run of the engine. Also the janitor that takes over fleet runs whose
 * backend stopped.
 */
export async function setUpFleet(deps: {
  db: Knex;
  config: RunbookConfig;
  rootConfig: RootConfigService;
  runs: Awaited<ReturnType<typeof setUpRuns>>;
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  audit: AuditTrail;
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const { config, runs, logger } = deps;
  const store = new FleetStore(deps.db);
  const runner = new FleetRunner({
    store,
    admission: runs.admission,
    runs: runs.store,
    idempotency: runs.idempotency,
    resolver: runs.resolver,
    liveStates: runs.liveStates,
    audit: deps.audit,
    logger,
    instanceId: runs.instanceId,
    leaseTtlMs: config.engine.lockTtlMs,
    pollIntervalMs: config.engine.pollIntervalMs,
    parallelism: readFleetParallelism(deps.rootConfig),
  });
  const fleetPermissions = new FleetPermissions({
    permissions: deps.permissions,
    audit: deps.audit,
  });
  const approvals = new FleetApprovals({
    desk: runs.desk,
    store,
    runner,
    permissions: runs.permissions,
    fleetPermissions,
    instanceId: runs.instanceId,
    leaseTtlMs: config.engine.lockTtlMs,
  });
  const service = new FleetService({
    catalog: deps.catalog,
    resolver: runs.resolver,
    fleetPermissions,
    runPermissions: runs.permissions,
    liveStates: runs.liveStates,
    audit: deps.audit,
    store,
    runner,
    instanceId: runs.instanceId,
    leaseTtlMs: config.engine.lockTtlMs,
    approvals: {
      requirement: subject => runs.approvals.fleetRequirement(subject),
      requested: fleet => runs.desk.requested(waitingFleetRun(fleet)),
      withdraw: (fleet, credentials) => approvals.withdraw(fleet, credentials),
    },
  });

  await deps.scheduler.scheduleTask({
    id: 'runbook-fleet-janitor',
    scope: 'local',
    frequency: { seconds: config.engine.janitorIntervalSeconds },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 0 },
    fn: async () => {
      const taken = await runner.recoverExpired();
      if (taken)
        logger.info(`Took over ${taken} fleet run(s) whose backend stopped`);
    },
  });

  // Expiry runs once across replicas, on the runbook clock.
  await deps.scheduler.scheduleTask({
    id: 'runbook-fleet-approvals-expiry',
    scope: 'global',
    frequency: { seconds: config.engine.janitorIntervalSeconds },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 0 },
    fn: async () => {
      const expired = await approvals.expireOverdue();
      if (expired) logger.info(`Expired ${expired} fleet approval request(s)`);
    },
  });

  return {
    service,
    approvals,
    router: createFleetRouter({ httpAuth: deps.httpAuth, fleet: service }),
  };
}
