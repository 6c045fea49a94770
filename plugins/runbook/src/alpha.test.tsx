import { Entity } from '@backstage/catalog-model';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  createExtensionTester,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import runbookPlugin, {
  entityBackupsContent,
  entityDrDrillsContent,
  entityHealthCard,
  entityHealthContent,
  entityIncidentsCard,
  entityFleetCard,
  entityIncidentsContent,
  entityOnCallCard,
  entityRunbookContent,
  entityServiceOpsCard,
  entitySystemHealthCard,
  entitySystemIncidentsCard,
  runbookApi,
  runbookAuditPage,
  runbookMaintenancePage,
  runbookOverviewPage,
  runbookRunPage,
  entitySecurityContent,
  runbookSecurityPage,
} from './alpha';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { runbookApiRef } from './api';
import { mediaUpload } from './testing/entities';
import { fakeRunbookApi, resolution, run } from './testing/fakeRunbookApi';
import { healthApi } from './testing/health';
import { emptyOverviewApi } from './testing/overview';
import { incident, incidentStats } from './testing/incidents';
import { mediaComponents, mediaSystem, systemCardsApi } from './testing/system';
import { nexusDomain, stopFleet } from './testing/fleet';
import {
  backupItem,
  calendar,
  dbResolution,
  drillRun,
  maintenanceItem,
  nexusDb,
} from './testing/backups';
import { overview, securityApi } from './testing/security';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
  spec: { type: 'service' },
});

/** Renders an extension's element on the media-upload service page with `api`. */
const renderOnService = (
  api: ReturnType<typeof fakeRunbookApi>,
  element: JSX.Element,
) =>
  renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>{element}</EntityProvider>
    </TestApiProvider>,
  );

describe('runbook /alpha', () => {
  it.each([
    'api:runbook',
    'entity-card:runbook/service-ops',
    'entity-card:runbook/on-call',
    'entity-card:runbook/health',
    'entity-card:runbook/incidents',
    'entity-card:runbook/system-health',
    'entity-card:runbook/system-incidents',
    'entity-card:runbook/fleet',
    'entity-content:runbook',
    'entity-content:runbook/health',
    'entity-content:runbook/incidents',
    'entity-content:runbook/backups',
    'entity-content:runbook/dr-drills',
    'entity-content:runbook/security',
    'page:runbook/overview',
    'page:runbook/maintenance',
    'page:runbook/audit',
    'page:runbook/run',
    'page:runbook/security',
    'scaffolder-form-field:runbook/runbook-entity-picker',
  ])('installs %s with the plugin', id => {
    expect(() => runbookPlugin.getExtension(id as any)).not.toThrow();
    expect(runbookPlugin.getExtension(id as any)).toBeDefined();
  });

  it('puts the operations card only on entities with a Kubernetes workload', () => {
    const tester = createExtensionTester(entityServiceOpsCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);
  });

  it('provides the runbook client under runbookApiRef', () => {
    const factory = createExtensionTester(runbookApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(runbookApiRef);
  });

  it('loads the Runbook tab lazily on services with a Kubernetes workload', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
    });
    const tester = createExtensionTester(entityRunbookContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Runbook');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);

    renderOnService(api, tester.reactElement());
    expect(
      await screen.findByRole('button', { name: /^Scale/ }),
    ).toBeInTheDocument();
  });

  it('loads the health card lazily on services with a Kubernetes workload', async () => {
    const api = healthApi();
    const tester = createExtensionTester(entityHealthCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);

    renderOnService(api, tester.reactElement());
    expect(await screen.findByText('degraded')).toBeInTheDocument();
  });

  it('loads the Health tab lazily at path health', async () => {
    const api = healthApi();
    const tester = createExtensionTester(entityHealthContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Health');
    expect(tester.get(coreExtensionData.routePath)).toBe('health');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({}))).toBe(false);

    renderOnService(api, tester.reactElement());
    expect(
      await screen.findByRole('figure', { name: 'Request rate' }),
    ).toBeInTheDocument();
  });

  it('loads the incidents card and tab lazily on services', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({ items: [incident()] })),
      getIncidentStats: jest.fn(async () => incidentStats()),
    });
    const card = createExtensionTester(entityIncidentsCard);
    expect(
      card.get(EntityCardBlueprint.dataRefs.filterFunction)?.(entity({})),
    ).toBe(false);
    const tab = createExtensionTester(entityIncidentsContent);
    expect(tab.get(EntityContentBlueprint.dataRefs.title)).toBe('Incidents');
    expect(tab.get(coreExtensionData.routePath)).toBe('incidents');

    renderOnService(api, card.reactElement());
    expect(await screen.findByText('Uploads failing')).toBeInTheDocument();
  });

  it('renders the Incidents tab with its history', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({ items: [incident()] })),
      getIncidentStats: jest.fn(async () => incidentStats()),
    });
    renderOnService(
      api,
      createExtensionTester(entityIncidentsContent).reactElement(),
    );
    expect(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    ).toBeInTheDocument();
  });

  it('loads the on-call card lazily on services and systems', async () => {
    const ownerless = fakeRunbookApi({
      getOnCall: jest.fn(async () => ({
        entityRef: 'component:default/media-upload',
        at: '2026-03-11T12:00:00Z',
        escalationChain: [],
        source: 'catalog',
      })),
    });
    const tester = createExtensionTester(entityOnCallCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.({ ...entity({}), kind: 'System' })).toBe(true);
    expect(filter?.(entity({}))).toBe(false);

    renderOnService(ownerless, tester.reactElement());
    expect(
      await screen.findByText(/This entity has no Group owner/),
    ).toBeInTheDocument();
  });

  it('puts the System cards only on Systems with Components', () => {
    const filters = [
      createExtensionTester(entitySystemHealthCard),
      createExtensionTester(entitySystemIncidentsCard),
    ].map(tester => tester.get(EntityCardBlueprint.dataRefs.filterFunction));
    for (const filter of filters) {
      expect(filter?.(mediaSystem(mediaComponents))).toBe(true);
      expect(filter?.(mediaSystem([]))).toBe(false);
      expect(filter?.(mediaUpload)).toBe(false);
    }
  });

  it('loads the System health and incidents cards lazily', async () => {
    const api = systemCardsApi();
    renderInTestApp(
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [catalogApiRef, catalogApiMock({ entities: mediaComponents })],
        ]}
      >
        <EntityProvider entity={mediaSystem(mediaComponents)}>
          {createExtensionTester(entitySystemHealthCard).reactElement()}
          {createExtensionTester(entitySystemIncidentsCard).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('1 of 3 services down, 2 unknown'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Uploads failing')).toBeInTheDocument();
  });

  it.each([
    [entityBackupsContent, 'Backups', 'backups'],
    [entityDrDrillsContent, 'DR drills', 'dr-drills'],
  ])(
    'puts the %#th database tab only on Resources with a DR target',
    (extension, title, path) => {
      // Both tabs are entity contents; the tester is typed by the first's name.
      const tester = createExtensionTester(
        extension as typeof entityBackupsContent,
      );
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(filter?.(nexusDb)).toBe(true);
      expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(
        false,
      );
    },
  );

  it('loads the Backups and DR drills tabs lazily on the database', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => dbResolution()),
      listBackups: jest.fn(async () => ({ items: [backupItem()] })),
      listRuns: jest.fn(async () => ({
        items: [drillRun('drill-1', '2026-12-01T03:10:00Z')],
      })),
    });
    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={nexusDb}>
          {createExtensionTester(entityBackupsContent).reactElement()}
          {createExtensionTester(entityDrDrillsContent).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('nexus-db-20261203-020000-ab12'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/^Last drill: RTO/)).toBeInTheDocument();
  });

  it('puts the Fleet card on Systems with Components and on Domains with Systems, loaded lazily', async () => {
    const tester = createExtensionTester(entityFleetCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(mediaSystem(mediaComponents))).toBe(true);
    expect(filter?.(nexusDomain)).toBe(true);
    expect(filter?.(mediaSystem([]))).toBe(false);
    expect(filter?.({ ...nexusDomain, relations: [] })).toBe(false);
    expect(filter?.(mediaUpload)).toBe(false);

    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({
        items: [stopFleet(['succeeded', 'skipped', 'succeeded', 'succeeded'])],
      })),
    });
    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={nexusDomain}>
          {tester.reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Start, stop or diagnose every service of this Domain in the order of their dependencies.',
      ),
    ).toBeInTheDocument();
    expect(api.listFleetRuns).toHaveBeenCalledWith({
      scope: 'domain:default/nexus-cos',
      limit: 5,
    });
    expect(
      await screen.findByRole('button', {
        name: 'Details of Stop all fleet-1',
      }),
    ).toBeInTheDocument();
  });

  it('puts the maintenance calendar at /runbook/maintenance with a nav entry, loaded lazily', async () => {
    const api = fakeRunbookApi({
      getMaintenance: jest.fn(async period =>
        calendar(period, period === 'daily' ? [maintenanceItem()] : []),
      ),
    });
    const tester = createExtensionTester(runbookMaintenancePage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/runbook/maintenance',
    );
    expect(tester.get(coreExtensionData.title)).toBe('Maintenance');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        {tester.reactElement()}
      </TestApiProvider>,
    );
    expect(await screen.findByText('Review metrics')).toBeInTheDocument();
  });

  it('puts the ops overview at /runbook/overview with a nav entry, loaded lazily', async () => {
    const api = emptyOverviewApi();
    const tester = createExtensionTester(runbookOverviewPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/runbook/overview');
    expect(tester.get(coreExtensionData.title)).toBe('Ops overview');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [catalogApiRef, catalogApiMock()],
        ]}
      >
        {tester.reactElement()}
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/No services report health/),
    ).toBeInTheDocument();
  });

  it('puts the audit log page at /runbook/audit with a nav entry, loaded lazily', async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => ({
        ok: true,
        checked: 0,
        anchorsChecked: 0,
      })),
    });
    const tester = createExtensionTester(runbookAuditPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/runbook/audit');
    expect(tester.get(coreExtensionData.title)).toBe('Audit log');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        {tester.reactElement()}
      </TestApiProvider>,
    );
    expect(await screen.findByText(/No audit records yet/)).toBeInTheDocument();
  });

  it('shows the run named in /runbook/runs/:id, without a nav entry', async () => {
    const api = fakeRunbookApi({
      getRun: jest.fn(async () => run({ id: 'run-7', status: 'succeeded' })),
    });
    const tester = createExtensionTester(runbookRunPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/runbook/runs/:id');
    expect(tester.get(coreExtensionData.title)).toBeUndefined();

    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        {tester.reactElement()}
      </TestApiProvider>,
      {
        mountPath: '/runbook/runs/:id',
        initialRouteEntries: ['/runbook/runs/run-7'],
      },
    );
    expect(await screen.findByText('succeeded')).toBeInTheDocument();
    expect(screen.getByText('Run run-7')).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-7');
  });

  it('loads the Security tab lazily at path security, on services', async () => {
    const tester = createExtensionTester(entitySecurityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Security');
    expect(tester.get(coreExtensionData.routePath)).toBe('security');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entity({ 'backstage.io/kubernetes-id': 'x' }))).toBe(true);
    expect(filter?.(entity({}))).toBe(false);

    renderOnService(securityApi(), tester.reactElement());
    expect(
      await screen.findByRole('table', { name: 'Certificates' }),
    ).toBeInTheDocument();
  });

  it('puts the security overview at /runbook/security with a nav entry, loaded lazily', async () => {
    const api = fakeRunbookApi({
      getSecurityOverview: jest.fn(async () => overview()),
    });
    const tester = createExtensionTester(runbookSecurityPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/runbook/security');
    expect(tester.get(coreExtensionData.title)).toBe('Security');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();

    renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        {tester.reactElement()}
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('table', { name: 'Expiring certificates' }),
    ).toBeInTheDocument();
  });
});
