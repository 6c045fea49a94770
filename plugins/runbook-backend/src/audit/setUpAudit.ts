import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import type { RunbookConfig } from '../config';
import { AuditStore } from './AuditStore';
import { AuditTrail } from './AuditTrail';
import { createAuditRouter } from './router';

/**
 * The audit trail every feature appends to, its routes, and the schedule that anchors
 * the chain head outside the table.
 */
export async function setUpAudit(deps: {
  db: Knex;
  config: RunbookConfig;
  auditor: AuditorService;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
}) {
  const audit = new AuditTrail({
    store: new AuditStore(deps.db),
    auditor: deps.auditor,
    logger: deps.logger,
    anchorEvery: deps.config.audit.anchorEvery,
  });
  await deps.scheduler.scheduleTask({
    id: 'runbook-audit-anchor',
    scope: 'local',
    frequency: { seconds: deps.config.audit.anchorIntervalSeconds },
    timeout: { minutes: 5 },
    fn: () => audit.anchorHead(),
  });
  return {
    trail: audit,
    router: createAuditRouter({
      httpAuth: deps.httpAuth,
      permissions: deps.permissions,
      audit,
    }),
  };
}
