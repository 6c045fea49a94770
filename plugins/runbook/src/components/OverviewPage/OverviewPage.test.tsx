import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import type {
  AuditRecord,
  OnCallOverview,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { approvalsRouteRef } from '../../routes';
import { awaitingFleet, awaitingRun } from '../../testing/approvals';
import { fakeRunbookApi, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { incident } from '../../testing/incidents';
import { emptyOverviewApi } from '../../testing/overview';
import { OverviewPage } from './OverviewPage';

const service = (name: string, title: string, system: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'service', system },
});

const catalogApi = catalogApiMock({
  entities: [
    service('media-upload', 'Media Upload', 'media'),
    service('media-transcode', 'Media Transcode', 'media'),
    service('checkout', 'Checkout', 'system:default/payments'),
  ],
});

const record = (changes: Partial<AuditRecord>): AuditRecord => ({
  seq: 1,
  at: '2026-11-26T10:00:00Z',
  event: 'succeeded',
  actor: 'user:default/alice',
  entityRef: SERVICE_REF,
  action: 'scale',
  runId: 'run-1',
  outcome: 'succeeded',
  params: {},
  summary: {},
  durationMs: 1000,
  prevHash: '',
  hash: '',
  ...changes,
});

const onCall: OnCallOverview = {
  at: '2026-11-26T10:00:00Z',
  source: 'catalog',
  items: [
    {
      groupRef: 'group:default/team-media',
      name: 'Team Media',
      now: {
        shift: {
          userRef: 'user:default/greta',
          groupRef: 'group:default/team-media',
          start: '2026-11-23T09:00:00Z',
          end: '2026-11-30T09:00:00Z',
          source: 'rotation',
        },
        contact: { userRef: 'user:default/greta', name: 'Greta Vogel' },
      },
      next: [],
    },
    {
      groupRef: 'group:default/team-payments',
      name: 'Team Payments',
      next: [],
      problem: 'Missing annotation nexus-cos.io/oncall-timezone',
    },
  ],
};

function renderPage(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [runbookApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <OverviewPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/runbook/approvals': approvalsRouteRef,
      },
    },
  );
}

const dataApi = () =>
  fakeRunbookApi({
    getHealthOverview: jest.fn(async () => ({
      items: [
        { entityRef: SERVICE_REF, status: 'healthy' as const, reasons: [] },
        {
          entityRef: 'component:default/media-transcode',
          status: 'degraded' as const,
          reasons: [
            {
              code: 'high-latency' as const,
              status: 'degraded' as const,
              message: 'p95 1.8 s is above 1 s',
            },
          ],
        },
        {
          entityRef: 'component:default/checkout',
          status: 'down' as const,
          reasons: [],
        },
        {
          entityRef: 'component:default/legacy-ftp',
          status: 'unknown' as const,
          reasons: [],
        },
      ],
    })),
    listIncidents: jest.fn(async () => ({
      items: [
        incident(),
        incident({ id: 'inc-2', title: 'Checkout down', severity: 'P0' }),
        incident({ id: 'inc-3', title: 'Slow transcodes', severity: 'P2' }),
      ],
    })),
    listAudit: jest.fn(async () => ({
      items: [
        record({ seq: 1, event: 'requested', runId: 'run-1' }),
        record({ seq: 2, event: 'succeeded', runId: 'run-1' }),
        record({
          seq: 3,
          event: 'rolled-back',
          runId: 'run-2',
          action: 'set-image',
          entityRef: 'component:default/checkout',
          actor: 'user:default/bob',
        }),
      ],
    })),
    getOnCallOverview: jest.fn(async () => onCall),
    listApprovals: jest.fn(async () => ({
      items: [awaitingRun()],
      fleet: [awaitingFleet()],
    })),
    listFreezes: jest.fn(async () => ({
      items: [
        {
          name: 'year-end',
          reason: 'payments peak',
          since: '2025-12-31T23:00:00.000Z',
          until: '2026-01-30T23:00:00.000Z',
          scope: { system: 'system:default/media' },
        },
      ],
    })),
  });

describe('OverviewPage', () => {
  it('groups every service by system with its status and first reason', async () => {
    renderPage(dataApi());
    const media = await screen.findByRole('region', { name: 'media' });
    expect(within(media).getByRole('link', { name: 'media' })).toHaveAttribute(
      'href',
      '/catalog/default/system/media',
    );
    expect(
      within(media).getByRole('link', { name: 'Media Upload' }),
    ).toHaveAttribute('href', '/catalog/default/component/media-upload');
    expect(within(media).getByText('healthy')).toBeInTheDocument();
    expect(within(media).getByText('Media Transcode')).toBeInTheDocument();
    expect(
      within(media).getByText('p95 1.8 s is above 1 s'),
    ).toBeInTheDocument();
    const payments = screen.getByRole('region', { name: 'payments' });
    expect(within(payments).getByText('Checkout')).toBeInTheDocument();
    expect(within(payments).getByText('down')).toBeInTheDocument();
    const orphans = screen.getByRole('region', { name: 'No system' });
    expect(within(orphans).getByText('legacy-ftp')).toBeInTheDocument();
  });

  it('counts open incidents by severity and lists them most severe first', async () => {
    const api = dataApi();
    renderPage(api);
    const counts = await screen.findByLabelText('Open incidents by severity');
    expect(counts).toHaveTextContent('P0 Critical1P1 High0P2 Medium2P3 Low0');
    const rows = within(screen.getByRole('table', { name: 'Incidents' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows[0]).toHaveTextContent('Checkout down');
    expect(
      within(rows[0]).getByRole('link', { name: 'media-upload' }),
    ).toHaveAttribute('href', '/catalog/default/component/media-upload');
    expect(api.listIncidents).toHaveBeenCalledWith({ status: 'open' });
  });

  it('shows the last finished runs and who is on call', async () => {
    const api = dataApi();
    renderPage(api);
    const runs = await screen.findByRole('table', { name: 'Recent runs' });
    const rows = within(runs).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/checkoutset-imagerolled-backbob/);
    expect(rows[1]).toHaveTextContent(/media-uploadscalesucceededalice/);
    // The latest records of the trail, where the recent runs are.
    expect(api.listAudit).toHaveBeenCalledWith({ limit: 200, order: 'desc' });

    const onCallList = await screen.findByRole('list', { name: 'On call now' });
    expect(within(onCallList).getByText('Greta Vogel')).toBeInTheDocument();
    expect(
      within(onCallList).getByText(
        'Missing annotation nexus-cos.io/oncall-timezone',
      ),
    ).toBeInTheDocument();
  });

  it('lists the changes and fleet runs waiting for the user, with the way to the Approvals page', async () => {
    const api = dataApi();
    renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Waiting for your decision',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row =>
          within(row)
            .getAllByRole('cell')
            .slice(0, 3)
            .map(cell => cell.textContent),
        ),
    ).toEqual([
      ['Scale on media-upload', 'alice', 'production scale'],
      ['Stop all on media', 'alice', 'stop-all in production'],
    ]);
    expect(
      screen.getByText(/^2 changes wait for your decision\./),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Approvals page' }),
    ).toHaveAttribute('href', '/runbook/approvals');
    expect(api.listApprovals).toHaveBeenCalledWith();
    const freezes = within(
      await screen.findByRole('list', { name: 'Change freezes in force' }),
    );
    expect(
      freezes.getByText(
        /^Change freeze "year-end" until .+ \(payments peak\)$/,
      ),
    ).toBeInTheDocument();
    expect(freezes.getByText(/^Covers System media\./)).toBeInTheDocument();
  });

  it('says what to configure when there is nothing to show', async () => {
    renderPage(emptyOverviewApi());
    expect(
      await screen.findByText(/No services report health: annotate them/),
    ).toBeInTheDocument();
    expect(await screen.findByText('No open incidents.')).toBeInTheDocument();
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
    expect(
      await screen.findByText(/^Nothing waits for your decision\./),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/^No change freeze is in force/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No group declares an on-call rotation/),
    ).toBeInTheDocument();
  });

  it('shows skeletons while loading, and each backend error in its own card', async () => {
    renderPage(
      fakeRunbookApi({
        getHealthOverview: jest.fn(() => new Promise(() => {})),
        listIncidents: jest.fn(() => new Promise(() => {})),
        listAudit: jest.fn(async () => {
          throw new Error('permission runbook.audit.read denied');
        }),
        getOnCallOverview: jest.fn(() => new Promise(() => {})),
        listApprovals: jest.fn(() => new Promise(() => {})),
        listFreezes: jest.fn(() => new Promise(() => {})),
      }),
    );
    expect(
      await screen.findByLabelText('Loading Service health'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Loading Open incidents')).toBeInTheDocument();
    expect(screen.getByLabelText('Loading On call')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Loading Pending approvals'),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/runbook.audit.read denied/))[0],
    ).toBeInTheDocument();
  });
});
