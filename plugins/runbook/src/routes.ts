import { createRouteRef } from '@backstage/core-plugin-api';

/** The Runbook tab on an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'runbook:entity-content',
});

/** The audit log page, `/runbook/audit` in the app. */
export const auditRouteRef = createRouteRef({ id: 'runbook:audit' });

/** The ops overview page, `/runbook/overview` in the app. */
export const overviewRouteRef = createRouteRef({ id: 'runbook:overview' });

/** The routine-maintenance calendar, `/runbook/maintenance` in the app. */
export const maintenanceRouteRef = createRouteRef({
  id: 'runbook:maintenance',
});

/** One run's page, `/runbook/runs/:id`; scaffolder templates link here. */
export const runRouteRef = createRouteRef({
  id: 'runbook:run',
  params: ['id'],
});

/** The security overview page, `/runbook/security` in the app. */
export const securityRouteRef = createRouteRef({ id: 'runbook:security' });
