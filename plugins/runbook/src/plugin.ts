import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { runbookApiFactory } from './api';
import { RunbookEntityPicker } from './components/RunbookEntityPicker';
import {
  auditRouteRef,
  entityContentRouteRef,
  maintenanceRouteRef,
  overviewRouteRef,
  runRouteRef,
  securityRouteRef,
} from './routes';

/**
 * The runbook plugin for the legacy frontend system.
 * @public
 */
export const runbookPlugin = createPlugin({
  id: 'runbook',
  apis: [runbookApiFactory],
  routes: {
    entityContent: entityContentRouteRef,
    overview: overviewRouteRef,
    audit: auditRouteRef,
    run: runRouteRef,
    maintenance: maintenanceRouteRef,
    security: securityRouteRef,
  },
});

/**
 * The Runbook tab: the service's actions, the run in progress and the run history.
 * Show it where {@link isRunbookAvailable} holds.
 * @public
 */
export const EntityRunbookContent = runbookPlugin.provide(
  createRoutableExtension({
    name: 'EntityRunbookContent',
    mountPoint: entityContentRouteRef,
    component: () =>
      import('./components/RunbookContent').then(m => m.RunbookContent),
  }),
);

/**
 * Card with the service's health, and the runbook's checklist with an incident shortcut
 * when it is not healthy. Show it where {@link isRunbookAvailable} holds.
 * @public
 */
export const EntityRunbookHealthCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookHealthCard',
    component: {
      lazy: () => import('./components/HealthCard').then(m => m.HealthCard),
    },
  }),
);

/**
 * The Health tab: status, pods, golden-signal charts, events and a log tail. Mount it
 * under an entity route such as `/health`, where {@link isRunbookAvailable} holds.
 * @public
 */
export const EntityRunbookHealthContent = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookHealthContent',
    component: {
      lazy: () =>
        import('./components/HealthContent').then(m => m.HealthContent),
    },
  }),
);

/**
 * Card with the service's open incidents, their response countdowns, MTTA/MTTR and a
 * "Declare incident" button. Show it where {@link isRunbookAvailable} holds.
 * @public
 */
export const EntityRunbookIncidentsCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookIncidentsCard',
    component: {
      lazy: () =>
        import('./components/IncidentsCard').then(m => m.IncidentsCard),
    },
  }),
);

/**
 * The Incidents tab: history with filters, declare, and each incident's phase stepper,
 * timeline and post-mortem editor. Mount it under an entity route such as `/incidents`.
 * @public
 */
export const EntityRunbookIncidentsContent = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookIncidentsContent',
    component: {
      lazy: () =>
        import('./components/IncidentsContent').then(m => m.IncidentsContent),
    },
  }),
);

/**
 * Card with the health of every service of a System: the worst status, then each
 * service with its reasons. Show it where {@link isSystemWithServices} holds.
 * @public
 */
export const EntityRunbookSystemHealthCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookSystemHealthCard',
    component: {
      lazy: () =>
        import('./components/SystemHealthCard').then(m => m.SystemHealthCard),
    },
  }),
);

/**
 * Card with the open incidents of a System and of its services, counted by severity,
 * with response countdowns. Show it where {@link isSystemWithServices} holds.
 * @public
 */
export const EntityRunbookSystemIncidentsCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookSystemIncidentsCard',
    component: {
      lazy: () =>
        import('./components/SystemIncidentsCard').then(
          m => m.SystemIncidentsCard,
        ),
    },
  }),
);

/**
 * Card that starts, stops or diagnoses every service of a System or the Domain in
 * dependency order: the plan first, then each service's progress. Show it where
 * {@link isFleetScope} holds.
 * @public
 */
export const EntityRunbookFleetCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookFleetCard',
    component: {
      lazy: () => import('./components/FleetCard').then(m => m.FleetCard),
    },
  }),
);

/**
 * The Backups tab of a database: its backups with size, sha256, tables and last
 * verification, and backup, verify and restore. Mount it under an entity route such as
 * `/backups`, where {@link isDrTarget} holds.
 * @public
 */
export const EntityRunbookBackupsContent = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookBackupsContent',
    component: {
      lazy: () =>
        import('./components/BackupsContent').then(m => m.BackupsContent),
    },
  }),
);

/**
 * The DR drills tab of a database: RTO and RPO over time, each drill's tables and
 * checksums, and a drill to run. Mount it under an entity route such as `/dr-drills`,
 * where {@link isDrTarget} holds.
 * @public
 */
export const EntityRunbookDrDrillsContent = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookDrDrillsContent',
    component: {
      lazy: () =>
        import('./components/DrDrillsContent').then(m => m.DrDrillsContent),
    },
  }),
);

/**
 * The Security tab: certificates with renew, access with review, vulnerability scans,
 * configuration findings and secret rotation. Mount it under an entity route such as
 * `/security`, where {@link isRunbookAvailable} holds.
 * @public
 */
export const EntityRunbookSecurityContent = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookSecurityContent',
    component: {
      lazy: () =>
        import('./components/SecurityContent').then(m => m.SecurityContent),
    },
  }),
);

/**
 * Card with the service's operational facts from the catalog.
 * @public
 */
export const EntityRunbookServiceCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookServiceCard',
    component: {
      lazy: () =>
        import('./components/ServiceOpsCard').then(m => m.ServiceOpsCard),
    },
  }),
);

/**
 * Card with the owning team's on-call now and next and the escalation chain.
 * Show it where {@link isOnCallAvailable} holds.
 * @public
 */
export const EntityRunbookOnCallCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookOnCallCard',
    component: {
      lazy: () => import('./components/OnCallCard').then(m => m.OnCallCard),
    },
  }),
);

/**
 * The ops overview: every service's health by system, open incidents by severity, recent
 * runs and who is on call. Mount it at `/runbook/overview`.
 * @public
 */
export const RunbookOverviewPage = runbookPlugin.provide(
  createRoutableExtension({
    name: 'RunbookOverviewPage',
    mountPoint: overviewRouteRef,
    component: () =>
      import('./components/OverviewPage').then(m => m.LegacyOverviewPage),
  }),
);

/**
 * The audit log page: filters, paging, JSON/CSV export and chain verification.
 * Mount it at `/runbook/audit`.
 * @public
 */
export const RunbookAuditPage = runbookPlugin.provide(
  createRoutableExtension({
    name: 'RunbookAuditPage',
    mountPoint: auditRouteRef,
    component: () =>
      import('./components/AuditPage').then(m => m.LegacyAuditPage),
  }),
);

/**
 * The routine-maintenance calendar: today, this week and this month, with evidence,
 * what is overdue, and manual items to tick. Mount it at `/runbook/maintenance`.
 * @public
 */
export const RunbookMaintenancePage = runbookPlugin.provide(
  createRoutableExtension({
    name: 'RunbookMaintenancePage',
    mountPoint: maintenanceRouteRef,
    component: () =>
      import('./components/MaintenancePage').then(m => m.LegacyMaintenancePage),
  }),
);

/**
 * The security overview: expiring certificates, critical vulnerabilities, access to
 * review and Secrets not rotated. Mount it at `/runbook/security`.
 * @public
 */
export const RunbookSecurityPage = runbookPlugin.provide(
  createRoutableExtension({
    name: 'RunbookSecurityPage',
    mountPoint: securityRouteRef,
    component: () =>
      import('./components/SecurityOverviewPage').then(
        m => m.LegacySecurityOverviewPage,
      ),
  }),
);

/**
 * One run's page: status, log and cancel. Mount it at `/runbook/runs/:id`, where the
 * scaffolder templates link.
 * @public
 */
export const RunbookRunPage = runbookPlugin.provide(
  createRoutableExtension({
    name: 'RunbookRunPage',
    mountPoint: runRouteRef,
    component: () => import('./components/RunPage').then(m => m.LegacyRunPage),
  }),
);

/**
 * Scaffolder field `RunbookEntityPicker`: only the entities on which the user may run the
 * action named in `ui:options.action`. Place it inside `ScaffolderFieldExtensions`.
 * @public
 */
export const RunbookEntityPickerFieldExtension = runbookPlugin.provide(
  createScaffolderFieldExtension({
    name: 'RunbookEntityPicker',
    component: RunbookEntityPicker,
  }),
);
