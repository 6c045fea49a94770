import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Incident } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import { fakeRunbookApi, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { pinDate } from '../../testing/clock';
import { incident, incidentStats, iso, MINUTE } from '../../testing/incidents';
import { IncidentsContent } from './IncidentsContent';

// Countdowns and "… ago" are read against a frozen Date, not the wall clock.
pinDate();

function renderTab(
  api: ReturnType<typeof fakeRunbookApi>,
  initialRouteEntries?: string[],
) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <IncidentsContent />
      </EntityProvider>
    </TestApiProvider>,
    { initialRouteEntries },
  );
}

const resolvedYesterday = incident({
  id: 'inc-0',
  title: 'Database failover',
  severity: 'P1',
  status: 'resolved',
  detectedAt: iso(-24 * 60 * MINUTE),
  acknowledgedAt: iso(-24 * 60 * MINUTE + 4 * MINUTE),
  acknowledgedBy: 'user:default/bob',
  resolvedAt: iso(-23 * 60 * MINUTE),
});

/** A backend that keeps one incident and applies the changes the tab asks for. */
function incidentBackend(start: Incident) {
  let current = start;
  const entry = (
    kind: Incident['timeline'][number]['kind'],
    message: string,
  ) => ({
    seq: current.timeline.length + 1,
    at: new Date().toISOString(),
    author: 'user:default/alice',
    kind,
    message,
  });
  const change = (
    patch: Partial<Incident>,
    kind: Incident['timeline'][number]['kind'],
    message: string,
  ) => {
    current = {
      ...current,
      ...patch,
      timeline: [...current.timeline, entry(kind, message)],
    };
    return current;
  };
  return fakeRunbookApi({
    listIncidents: jest.fn(async () => ({
      items: [current, resolvedYesterday],
    })),
    getIncidentStats: jest.fn(async () => incidentStats()),
    getIncident: jest.fn(async () => current),
    acknowledgeIncident: jest.fn(async () =>
      change(
        {
          status: 'assessing',
          acknowledgedAt: new Date().toISOString(),
          acknowledgedBy: 'user:default/alice',
        },
        'acknowledged',
        'Acknowledged',
      ),
    ),
    updateIncident: jest.fn(async (_id, { status }) =>
      change({ status }, 'status', `Phase ${status}`),
    ),
    addIncidentTimelineEntry: jest.fn(async (_id, { message }) =>
      change({}, 'note', message),
    ),
    writePostMortem: jest.fn(async (_id, postMortem) =>
      change(
        { status: 'post-mortem', postMortem },
        'post-mortem',
        'Post-mortem written',
      ),
    ),
  });
}

describe('IncidentsContent', () => {
  it('lists the history open first, with MTTA/MTTR, and filters it', async () => {
    const user = userEvent.setup();
    const api = incidentBackend(incident());
    renderTab(api);

    const table = await screen.findByRole('table', { name: 'Incidents' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Uploads failing');
    expect(rows[0]).toHaveTextContent(/respond within/);
    expect(rows[1]).toHaveTextContent('Database failover');
    expect(rows[1]).toHaveTextContent(
      'acknowledged 23 hours ago by user:default/bob',
    );
    expect(
      await screen.findByLabelText('Incident statistics'),
    ).toHaveTextContent('MTTA 4m 0s · MTTR 1h 30m');

    await user.selectOptions(screen.getByLabelText('Severity'), 'P1');
    await user.selectOptions(screen.getByLabelText('Status'), 'resolved');
    expect(api.listIncidents).toHaveBeenLastCalledWith({
      entity: SERVICE_REF,
      status: 'resolved',
      severity: 'P1',
    });
  });

  it('opens the incident named in ?incident=, as an emergency change links to it', async () => {
    const api = incidentBackend(
      incident({ id: 'inc-7', title: 'Checkout errors' }),
    );
    renderTab(api, ['/?incident=inc-7']);
    const detail = await screen.findByRole('region', {
      name: 'Incident inc-7',
    });
    expect(within(detail).getByText(/Phase: detected/)).toBeInTheDocument();
    expect(api.getIncident).toHaveBeenCalledWith('inc-7');
    expect(
      screen.queryByText(
        'Select an incident to see its phase, timeline and post-mortem.',
      ),
    ).not.toBeInTheDocument();
  });

  it('says when nothing is recorded, and when nothing matches the filters', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => ({ items: [] })),
      getIncidentStats: jest.fn(async () =>
        incidentStats({ total: 0, open: 0 }),
      ),
    });
    renderTab(api);
    expect(
      await screen.findByText('No incidents recorded for this service.'),
    ).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Status'), 'open');
    expect(
      await screen.findByText('No incidents match these filters.'),
    ).toBeInTheDocument();
  });

  it('walks an incident through the procedure: acknowledge, respond, resolve', async () => {
    const user = userEvent.setup();
    const api = incidentBackend(incident());
    renderTab(api);

    await user.click(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    );
    const detail = await screen.findByRole('region', {
      name: 'Incident inc-1',
    });
    expect(within(detail).getByText(/Phase: detected/)).toBeInTheDocument();
    expect(
      within(detail).getByText('Detection').closest('[aria-current]'),
    ).toHaveAttribute('aria-current', 'step');
    expect(
      within(detail).queryByRole('button', { name: /Move to/ }),
    ).toBeNull();

    await user.click(
      within(detail).getByRole('button', { name: 'Acknowledge' }),
    );
    expect(api.acknowledgeIncident).toHaveBeenCalledWith('inc-1');
    expect(
      await within(detail).findByText(/Phase: assessing/),
    ).toBeInTheDocument();
    expect(detail).toHaveTextContent(/acknowledged .* by user:default\/alice/);
    expect(
      within(detail).queryByRole('button', { name: 'Acknowledge' }),
    ).toBeNull();

    await user.click(
      within(detail).getByRole('button', { name: 'Move to responding' }),
    );
    expect(api.updateIncident).toHaveBeenCalledWith('inc-1', {
      status: 'responding',
    });
    expect(
      await within(detail).findByText(/Phase: responding/),
    ).toBeInTheDocument();
    expect(
      within(detail).getByText('Response').closest('[aria-current]'),
    ).toHaveAttribute('aria-current', 'step');
    expect(
      within(detail).queryByRole('form', { name: 'Post-mortem' }),
    ).toBeNull();

    await user.click(
      within(detail).getByRole('button', { name: 'Move to resolved' }),
    );
    expect(
      await within(detail).findByText(/Phase: resolved/),
    ).toBeInTheDocument();
    expect(
      within(detail).getByRole('form', { name: 'Post-mortem' }),
    ).toBeInTheDocument();
    // The list follows the change.
    expect(api.listIncidents.mock.calls.length).toBeGreaterThan(1);
  });

  it('adds a timeline entry', async () => {
    const user = userEvent.setup();
    const api = incidentBackend(incident());
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    );
    const detail = await screen.findByRole('region', {
      name: 'Incident inc-1',
    });
    await user.type(
      within(detail).getByLabelText('Timeline note'),
      'Rolled back to 1.4.0',
    );
    await user.click(within(detail).getByRole('button', { name: 'Add' }));
    expect(api.addIncidentTimelineEntry).toHaveBeenCalledWith('inc-1', {
      message: 'Rolled back to 1.4.0',
    });
    const timeline = within(detail).getByRole('list', { name: 'Timeline' });
    expect(
      await within(timeline).findByText(/note: Rolled back to 1.4.0/),
    ).toBeInTheDocument();
    expect(within(detail).getByLabelText('Timeline note')).toHaveValue('');
  });

  it('writes the post-mortem of a resolved incident: root cause and action items', async () => {
    const user = userEvent.setup();
    const api = incidentBackend(
      incident({ status: 'resolved', acknowledgedAt: iso(-4 * MINUTE) }),
    );
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    );
    const form = await screen.findByRole('form', { name: 'Post-mortem' });
    expect(within(form).getByText('No action items yet.')).toBeInTheDocument();

    await user.type(
      within(form).getByLabelText(/^Root cause/),
      'Bucket credentials expired',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Add action item' }),
    );
    await user.click(
      within(form).getByRole('button', { name: 'Add action item' }),
    );
    const first = within(form).getByRole('group', { name: 'Action item 1' });
    await user.type(
      within(first).getByLabelText(/^Description/),
      'Rotate credentials automatically',
    );
    await user.type(
      within(first).getByLabelText(/^Owner/),
      'group:default/team-media',
    );
    await user.click(within(first).getByRole('checkbox', { name: 'Done' }));
    await user.click(
      within(form).getByRole('button', { name: 'Remove action item 2' }),
    );
    expect(
      within(form).queryByRole('group', { name: 'Action item 2' }),
    ).toBeNull();

    await user.click(
      within(form).getByRole('button', { name: 'Save post-mortem' }),
    );
    expect(api.writePostMortem).toHaveBeenCalledWith('inc-1', {
      rootCause: 'Bucket credentials expired',
      actionItems: [
        {
          description: 'Rotate credentials automatically',
          owner: 'group:default/team-media',
          done: true,
        },
      ],
      timeline: [{ at: expect.any(String), message: 'Declared P2' }],
    });
    expect(await screen.findByText('Post-mortem saved')).toBeInTheDocument();
    expect(screen.getByText(/Phase: post-mortem/)).toBeInTheDocument();
  });

  it('shows the backend refusal of a phase change', async () => {
    const user = userEvent.setup();
    const api = incidentBackend(incident({ status: 'assessing' }));
    api.updateIncident.mockRejectedValue(
      new Error(
        'an incident in phase assessing can move to responding or resolved, not post-mortem',
      ),
    );
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: 'Uploads failing' }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Move to resolved' }),
    );
    expect(
      await screen.findByText(
        /can move to responding or resolved, not post-mortem/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Phase: assessing/)).toBeInTheDocument();
  });

  it('shows skeletons while loading and the backend error of the list', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(() => new Promise(() => {})),
      getIncidentStats: jest.fn(() => new Promise(() => {})),
    });
    renderTab(api);
    expect(
      await screen.findByLabelText('Loading incidents'),
    ).toBeInTheDocument();
  });

  it('shows the backend error of the list', async () => {
    const api = fakeRunbookApi({
      listIncidents: jest.fn(async () => {
        throw new Error('incident store unavailable');
      }),
      getIncidentStats: jest.fn(async () => incidentStats()),
    });
    renderTab(api);
    expect(
      (await screen.findAllByText(/incident store unavailable/))[0],
    ).toBeInTheDocument();
  });
});
