import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { RunbookIncidentProvider } from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import { AuditTrail } from '../audit/AuditTrail';
import { IncidentStore } from './IncidentStore';
import { CatalogContacts } from '../oncall/CatalogContacts';
import { AlertmanagerReceiver } from './AlertmanagerReceiver';
import { readIncidentsConfig } from './config';
import { IncidentNotifier } from './IncidentNotifier';
import { IncidentEscalator } from './IncidentEscalator';
import { IncidentPermissions } from './IncidentPermissions';
import { IncidentQueries } from './IncidentQueries';
import { IncidentService } from './IncidentService';
import { createIncidentRouter } from './router';

/**
 * Builds the incident service, its router and the escalation check; the check runs on one
 * replica at a time (scope global).
 */
export async function setUpIncidents(deps: {
  config: Config;
  db: Knex;
  audit: AuditTrail;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  contacts: CatalogContacts;
  notifications: NotificationService;
  providers: RunbookIncidentProvider[];
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const config = readIncidentsConfig(deps.config);
  const store = new IncidentStore(deps.db);
  const { contacts } = deps;
  const notifier = new IncidentNotifier({
    notifications: deps.notifications,
    providers: deps.providers,
    logger: deps.logger,
  });
  const permissions = new IncidentPermissions({
    permissions: deps.permissions,
    audit: deps.audit,
  });
  const queries = new IncidentQueries({ store, permissions, contacts });
  const incidents = new IncidentService({
    store,
    audit: deps.audit,
    permissions,
    contacts,
    notifier,
    config,
  });
  const escalator = new IncidentEscalator({
    store,
    contacts,
    notifier,
    audit: deps.audit,
    config,
  });
  await deps.scheduler.scheduleTask({
    id: 'runbook-incident-escalation',
    scope: 'global',
    frequency: { seconds: config.escalationCheckSeconds },
    timeout: { minutes: 5 },
    fn: async () => {
      const escalated = await escalator.escalateOverdue();
      if (escalated)
        deps.logger.info(`Escalated ${escalated} overdue incident(s)`);
    },
  });
  const alerts = new AlertmanagerReceiver({
    incidents,
    store,
    contacts,
    defaultSeverity: config.alertmanager.defaultSeverity,
  });
  return {
    incidents,
    queries,
    store,
    router: createIncidentRouter({
      httpAuth: deps.httpAuth,
      incidents,
      queries,
      alerts,
    }),
  };
}
