import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { runbookApiRef } from './api';
import {
  EntityRunbookBackupsContent,
  EntityRunbookContent,
  EntityRunbookFleetCard,
  EntityRunbookDrDrillsContent,
  EntityRunbookHealthCard,
  EntityRunbookHealthContent,
  EntityRunbookIncidentsCard,
  EntityRunbookIncidentsContent,
  EntityRunbookOnCallCard,
  EntityRunbookServiceCard,
  EntityRunbookSystemHealthCard,
  EntityRunbookSystemIncidentsCard,
  RunbookAuditPage,
  RunbookMaintenancePage,
  RunbookOverviewPage,
  RunbookRunPage,
  EntityRunbookSecurityContent,
  RunbookSecurityPage,
} from './plugin';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { mediaUpload } from './testing/entities';
import { fakeRunbookApi, resolution, run } from './testing/fakeRunbookApi';
import { healthApi } from './testing/health';
import { emptyOverviewApi } from './testing/overview';
import { incident, incidentStats } from './testing/incidents';
import { mediaComponents, mediaSystem, systemCardsApi } from './testing/system';
import { stopDryRun } from './testing/fleet';
import {
  backupItem,
  calendar,
  dbResolution,
  drillRun,
  maintenanceItem,
  nexusDb,
} from './testing/backups';
import { overview, securityApi } from './testing/security';

describe('legacy runbook plugin', () => {
  it('renders the Runbook tab in a legacy app', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={mediaUpload}>
          <Routes>
            <Route path="/runbook" element={<EntityRunbookContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/runbook'] },
    );
    expect(
      await screen.findByRole('button', { name: /^Scale/ }),
    ).toBeInTheDocument();
  });

  it('renders the health card and the Health tab in a legacy app', async () => {
    const api = healthApi();
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={mediaUpload}>
          <EntityRunbookHealthCard />
          <Routes>
            <Route path="/health" element={<EntityRunbookHealthContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/health'] },
    );
    expect(
      await screen.findByRole('figure', { name: 'Request rate' }),
    ).toBeInTheDocument();
    expect(await screen.findAllByText('degraded')).toHaveLength(2);
  });

  it('renders the incidents card and the Incidents tab in a legacy app', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({ items: [incident()] })),
      getIncidentStats: jest.fn(async () => incidentStats()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={mediaUpload}>
          <EntityRunbookIncidentsCard />
          <Routes>
            <Route
              path="/incidents"
              element={<EntityRunbookIncidentsContent />}
            />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/incidents'] },
    );
    expect(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Uploads failing')).toHaveLength(2);
  });

  it('renders the Backups and DR drills tabs of a database in a legacy app', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => dbResolution()),
      listBackups: jest.fn(async () => ({ items: [backupItem()] })),
      listRuns: jest.fn(async () => ({
        items: [drillRun('drill-1', '2026-12-01T03:10:00Z')],
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={nexusDb}>
          <Routes>
            <Route path="/backups" element={<EntityRunbookBackupsContent />} />
            <Route
              path="/dr-drills"
              element={<EntityRunbookDrDrillsContent />}
            />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/backups'] },
    );
    expect(
      await screen.findByText('nexus-db-20261203-020000-ab12'),
    ).toBeInTheDocument();
  });

  it('renders the maintenance calendar in a legacy app, with its header', async () => {
    const api = fakeRunbookApi({
      getMaintenance: jest.fn(async period =>
        calendar(
          period,
          period === 'monthly'
            ? [maintenanceItem({ title: 'Update runbooks' })]
            : [],
        ),
      ),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <Routes>
          <Route
            path="/runbook/maintenance"
            element={<RunbookMaintenancePage />}
          />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/runbook/maintenance'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Routine maintenance' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Update runbooks')).toBeInTheDocument();
  });

  it('renders the on-call card in a legacy app', async () => {
    const ownerless = fakeRunbookApi({
      getOnCall: jest.fn(async () => ({
        entityRef: 'component:default/media-upload',
        at: '2026-03-11T12:00:00Z',
        escalationChain: [],
        source: 'catalog',
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, ownerless]]}>
        <EntityProvider entity={mediaUpload}>
          <EntityRunbookOnCallCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/This entity has no Group owner/),
    ).toBeInTheDocument();
  });

  it('renders the System health and incidents cards in a legacy app', async () => {
    const api = systemCardsApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [catalogApiRef, catalogApiMock({ entities: mediaComponents })],
        ]}
      >
        <EntityProvider entity={mediaSystem(mediaComponents)}>
          <EntityRunbookSystemHealthCard />
          <EntityRunbookSystemIncidentsCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('1 of 3 services down, 2 unknown'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Media Upload' })).toHaveAttribute(
      'href',
      '/catalog/default/component/media-upload',
    );
    expect(await screen.findByText('Uploads failing')).toBeInTheDocument();
  });

  it('renders the Fleet card with its plan preview in a legacy app', async () => {
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () => stopDryRun()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={mediaSystem(mediaComponents)}>
          <EntityRunbookFleetCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    (await screen.findByRole('button', { name: 'Stop all' })).click();
    expect(
      await screen.findByRole('row', { name: 'media-thumbnails' }),
    ).toHaveTextContent('already stopped (media-thumbnails: 0 replicas)');
  });

  it('renders the ops overview with its header in a legacy app', async () => {
    const api = emptyOverviewApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [catalogApiRef, catalogApiMock()],
        ]}
      >
        <Routes>
          <Route path="/runbook/overview" element={<RunbookOverviewPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/runbook/overview'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Ops overview' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('No open incidents.')).toBeInTheDocument();
  });

  it('renders the audit log page with its header in a legacy app', async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => ({
        ok: true,
        checked: 0,
        anchorsChecked: 0,
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <Routes>
          <Route path="/runbook/audit" element={<RunbookAuditPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/runbook/audit'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Audit log' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(/No audit records yet/)).toBeInTheDocument();
  });

  it('renders the run page for the id in the URL in a legacy app', async () => {
    const api = fakeRunbookApi({
      getRun: jest.fn(async () =>
        run({ id: 'run-7', input: { replicas: 5 }, reason: 'traffic peak' }),
      ),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <Routes>
          <Route path="/runbook/runs/:id" element={<RunbookRunPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/runbook/runs/run-7'] },
    );
    expect(await screen.findByText('traffic peak')).toBeInTheDocument();
    expect(screen.getByText('{"replicas":5}')).toBeInTheDocument();
    expect(
      screen.getByText('component:default/media-upload'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cancel run' }),
    ).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-7');
  });

  it('renders the operations card in a legacy app', async () => {
    await renderInTestApp(
      <EntityProvider entity={mediaUpload}>
        <EntityRunbookServiceCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('production (changes need typed confirmation)'),
    ).toBeInTheDocument();
  });

  it('renders the Security tab and the security overview in a legacy app', async () => {
    const api = securityApi({
      getSecurityOverview: jest.fn(async () => overview()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <EntityProvider entity={mediaUpload}>
          <Routes>
            <Route
              path="/security"
              element={<EntityRunbookSecurityContent />}
            />
            <Route path="/runbook/security" element={<RunbookSecurityPage />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      {
        routeEntries: ['/security'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('table', { name: 'Certificates' }),
    ).toBeInTheDocument();
  });

  it('renders the security overview with its header in a legacy app', async () => {
    const api = fakeRunbookApi({
      getSecurityOverview: jest.fn(async () => overview()),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[runbookApiRef, api]]}>
        <Routes>
          <Route path="/runbook/security" element={<RunbookSecurityPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/runbook/security'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Security overview' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Secrets not rotated' }),
    ).toBeInTheDocument();
  });
});
