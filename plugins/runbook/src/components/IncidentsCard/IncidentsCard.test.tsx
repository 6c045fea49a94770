import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import { fakeRunbookApi, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { pinDate } from '../../testing/clock';
import { incident, incidentStats, iso, MINUTE } from '../../testing/incidents';
import { IncidentsCard } from './IncidentsCard';

// Countdowns and "… ago" are read against a frozen Date, not the wall clock.
pinDate();

function renderCard(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <IncidentsCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('IncidentsCard', () => {
  it('lists open incidents most severe first with their response countdown and MTTA/MTTR', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({
        items: [
          incident(),
          incident({
            id: 'inc-2',
            title: 'Upload service down',
            severity: 'P0',
            detectedAt: iso(-3 * MINUTE),
            respondBy: iso(-3 * MINUTE),
          }),
        ],
      })),
      getIncidentStats: jest.fn(async () => incidentStats()),
    });
    renderCard(api);

    const table = await screen.findByRole('table', { name: 'Incidents' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('P0 Critical')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Upload service down'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText(/^overdue by 3m/)).toBeInTheDocument();
    expect(within(rows[1]).getByText('P2 Medium')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(/^respond within 1h 55m$/),
    ).toBeInTheDocument();
    expect(api.listIncidents).toHaveBeenCalledWith({
      entity: SERVICE_REF,
      status: 'open',
      severity: undefined,
    });
    expect(
      await screen.findByLabelText('Incident statistics'),
    ).toHaveTextContent('1 open of 5 · MTTA 4m 0s · MTTR 1h 30m');
  });

  it('says there are no open incidents, and n/a for means without data', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({ items: [] })),
      getIncidentStats: jest.fn(async () =>
        incidentStats({
          total: 0,
          open: 0,
          mttaSeconds: undefined,
          mttrSeconds: undefined,
        }),
      ),
    });
    renderCard(api);
    expect(await screen.findByText('No open incidents.')).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Incident statistics'),
    ).toHaveTextContent('0 open of 0 · MTTA n/a · MTTR n/a');
  });

  it('declares an incident for this service and lists it', async () => {
    const user = userEvent.setup();
    const declared = incident({ id: 'inc-3', title: 'Slow uploads' });
    const api = fakeRunbookApi({
      listIncidents: jest
        .fn()
        .mockResolvedValueOnce({ items: [] })
        .mockResolvedValue({ items: [declared] }),
      getIncidentStats: jest.fn(async () => incidentStats()),
      declareIncident: jest.fn(async () => declared),
    });
    renderCard(api);
    await screen.findByText('No open incidents.');
    await user.click(screen.getByRole('button', { name: 'Declare incident' }));
    const dialog = screen.getByRole('dialog', { name: 'Declare incident' });
    expect(
      within(dialog).getByRole('radio', { name: /^P2 Medium/ }),
    ).toBeChecked();
    await user.type(within(dialog).getByLabelText(/^Title/), 'Slow uploads');
    await user.click(within(dialog).getByRole('radio', { name: /^P3 Low/ }));
    await user.type(
      within(dialog).getByLabelText(/^Description/),
      'p95 above 2 s',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Declare' }));

    expect(api.declareIncident).toHaveBeenCalledWith({
      title: 'Slow uploads',
      severity: 'P3',
      entityRefs: [SERVICE_REF],
      description: 'p95 above 2 s',
    });
    expect(await screen.findByText('Slow uploads')).toBeInTheDocument();
  });

  it('shows a skeleton while loading, then the backend error', async () => {
    let fail: (e: Error) => void = () => {};
    const api = fakeRunbookApi({
      listIncidents: jest.fn(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      ),
      getIncidentStats: jest.fn(async () => {
        throw new Error('stats timed out');
      }),
    });
    renderCard(api);
    expect(
      await screen.findByLabelText('Loading incidents'),
    ).toBeInTheDocument();
    act(() => fail(new Error('permission runbook.incident.read denied')));
    expect(
      (await screen.findAllByText(/runbook.incident.read denied/))[0],
    ).toBeInTheDocument();
    expect(
      screen.getByText('Statistics unavailable: stats timed out'),
    ).toBeInTheDocument();
  });
});
