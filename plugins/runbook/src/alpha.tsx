import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import BuildIcon from '@material-ui/icons/Build';
import DashboardIcon from '@material-ui/icons/Dashboard';
import HistoryIcon from '@material-ui/icons/History';
import SecurityIcon from '@material-ui/icons/Security';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isDrTarget } from './isDrTarget';
import { isRunbookAvailable } from './isRunbookAvailable';
import { isOnCallAvailable } from './isOnCallAvailable';
import { isSystemWithServices } from './isSystemWithServices';
import { isFleetScope } from './isFleetScope';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { runbookApiFactory } from './api';
import {
  auditRouteRef,
  maintenanceRouteRef,
  overviewRouteRef,
  runRouteRef,
  securityRouteRef,
} from './routes';

/** The RunbookClient behind `runbookApiRef`. @alpha */
export const runbookApi = ApiBlueprint.make({
  params: defineParams => defineParams(runbookApiFactory),
});

/** Operational facts card on service pages. @alpha */
export const entityServiceOpsCard = EntityCardBlueprint.make({
  name: 'service-ops',
  params: {
    type: 'info',
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/ServiceOpsCard').then(m => <m.ServiceOpsCard />),
  },
});

/** On-call now and next, and the escalation chain, on services and systems. @alpha */
export const entityOnCallCard = EntityCardBlueprint.make({
  name: 'on-call',
  params: {
    type: 'info',
    filter: isOnCallAvailable,
    loader: () => import('./components/OnCallCard').then(m => <m.OnCallCard />),
  },
});

/** Health at a glance, with the runbook's response when not healthy, on services. @alpha */
export const entityHealthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    filter: isRunbookAvailable,
    loader: () => import('./components/HealthCard').then(m => <m.HealthCard />),
  },
});

/** The Health tab: pods, golden-signal charts, events and logs. @alpha */
export const entityHealthContent = EntityContentBlueprint.make({
  name: 'health',
  params: {
    path: 'health',
    title: 'Health',
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/HealthContent').then(m => <m.HealthContent />),
  },
});

/** Open incidents with response countdowns, MTTA/MTTR and declare, on services. @alpha */
export const entityIncidentsCard = EntityCardBlueprint.make({
  name: 'incidents',
  params: {
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/IncidentsCard').then(m => <m.IncidentsCard />),
  },
});

/** The health of every service of a System, worst first, on System pages. @alpha */
export const entitySystemHealthCard = EntityCardBlueprint.make({
  name: 'system-health',
  params: {
    filter: isSystemWithServices,
    loader: () =>
      import('./components/SystemHealthCard').then(m => <m.SystemHealthCard />),
  },
});

/** Open incidents of a System and its services, with response countdowns. @alpha */
export const entitySystemIncidentsCard = EntityCardBlueprint.make({
  name: 'system-incidents',
  params: {
    filter: isSystemWithServices,
    loader: () =>
      import('./components/SystemIncidentsCard').then(m => (
        <m.SystemIncidentsCard />
      )),
  },
});

/** Start-all, stop-all and diagnostics in dependency order, on System and Domain pages. @alpha */
export const entityFleetCard = EntityCardBlueprint.make({
  name: 'fleet',
  params: {
    filter: isFleetScope,
    loader: () => import('./components/FleetCard').then(m => <m.FleetCard />),
  },
});

/** The Incidents tab: history, declare, phase stepper, timeline and post-mortem. @alpha */
export const entityIncidentsContent = EntityContentBlueprint.make({
  name: 'incidents',
  params: {
    path: 'incidents',
    title: 'Incidents',
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/IncidentsContent').then(m => <m.IncidentsContent />),
  },
});

/** The Runbook tab on service pages. @alpha */
export const entityRunbookContent = EntityContentBlueprint.make({
  params: {
    path: 'runbook',
    title: 'Runbook',
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/RunbookContent').then(m => <m.RunbookContent />),
  },
});

/** The Backups tab on databases with a DR target. @alpha */
export const entityBackupsContent = EntityContentBlueprint.make({
  name: 'backups',
  params: {
    path: 'backups',
    title: 'Backups',
    filter: isDrTarget,
    loader: () =>
      import('./components/BackupsContent').then(m => <m.BackupsContent />),
  },
});

/** The DR drills tab on databases with a DR target: RTO/RPO history and a drill. @alpha */
export const entityDrDrillsContent = EntityContentBlueprint.make({
  name: 'dr-drills',
  params: {
    path: 'dr-drills',
    title: 'DR drills',
    filter: isDrTarget,
    loader: () =>
      import('./components/DrDrillsContent').then(m => <m.DrDrillsContent />),
  },
});

/** The routine-maintenance calendar, with its nav entry from `title` and `icon`. @alpha */
export const runbookMaintenancePage = PageBlueprint.make({
  name: 'maintenance',
  params: {
    path: '/runbook/maintenance',
    title: 'Maintenance',
    icon: <BuildIcon />,
    routeRef: maintenanceRouteRef,
    loader: () =>
      import('./components/MaintenancePage').then(m => <m.MaintenancePage />),
  },
});

/** The Security tab: certificates, access, vulnerabilities, findings, rotation. @alpha */
export const entitySecurityContent = EntityContentBlueprint.make({
  name: 'security',
  params: {
    path: 'security',
    title: 'Security',
    filter: isRunbookAvailable,
    loader: () =>
      import('./components/SecurityContent').then(m => <m.SecurityContent />),
  },
});

/** The security overview page, with its nav entry from `title` and `icon`. @alpha */
export const runbookSecurityPage = PageBlueprint.make({
  name: 'security',
  params: {
    path: '/runbook/security',
    title: 'Security',
    icon: <SecurityIcon />,
    routeRef: securityRouteRef,
    loader: () =>
      import('./components/SecurityOverviewPage').then(m => (
        <m.SecurityOverviewPage />
      )),
  },
});

/** The ops overview page, with its nav entry from `title` and `icon`. @alpha */
export const runbookOverviewPage = PageBlueprint.make({
  name: 'overview',
  params: {
    path: '/runbook/overview',
    title: 'Ops overview',
    icon: <DashboardIcon />,
    routeRef: overviewRouteRef,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/** The audit log page, with its nav entry from `title` and `icon`. @alpha */
export const runbookAuditPage = PageBlueprint.make({
  name: 'audit',
  params: {
    path: '/runbook/audit',
    title: 'Audit log',
    icon: <HistoryIcon />,
    routeRef: auditRouteRef,
    loader: () => import('./components/AuditPage').then(m => <m.AuditPage />),
  },
});

/** One run's page; no nav entry, the Runbook tab and scaffolder templates link to it. @alpha */
export const runbookRunPage = PageBlueprint.make({
  name: 'run',
  params: {
    path: '/runbook/runs/:id',
    routeRef: runRouteRef,
    loader: () => import('./components/RunPage').then(m => <m.RunPage />),
  },
});

/** Scaffolder field listing the entities the user may run a template's action on. @alpha */
export const runbookEntityPickerField = FormFieldBlueprint.make({
  name: 'runbook-entity-picker',
  params: {
    field: () =>
      import('./components/RunbookEntityPicker/field').then(
        m => m.runbookEntityPickerField,
      ),
  },
});

/**
 * The runbook plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'runbook',
  extensions: [
    runbookApi,
    entityServiceOpsCard,
    entityOnCallCard,
    entityRunbookContent,
    entityHealthCard,
    entityHealthContent,
    entityIncidentsCard,
    entityIncidentsContent,
    entitySystemHealthCard,
    entitySystemIncidentsCard,
    entityFleetCard,
    entityBackupsContent,
    entityDrDrillsContent,
    entitySecurityContent,
    runbookOverviewPage,
    runbookMaintenancePage,
    runbookAuditPage,
    runbookRunPage,
    runbookSecurityPage,
    runbookEntityPickerField,
  ],
  routes: {
    overview: overviewRouteRef,
    audit: auditRouteRef,
    run: runRouteRef,
    maintenance: maintenanceRouteRef,
    security: securityRouteRef,
  },
});
