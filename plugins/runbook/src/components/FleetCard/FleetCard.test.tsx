import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { pinDate, TEST_NOW } from '../../testing/clock';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { stopDryRun, stopFleet } from '../../testing/fleet';
import { mediaComponents, mediaSystem, SYSTEM_REF } from '../../testing/system';
import { FleetCard } from './FleetCard';

// "… ago" is read against a frozen Date, not the wall clock.
pinDate();

function renderCard(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaSystem(mediaComponents)}>
        <FleetCard pollMs={20} />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/runbook/runs/:id': runRouteRef,
      },
    },
  );
}

/** The plan's rows as [step, service, status, why] (and the run, once there is one). */
const rows = () =>
  within(screen.getByRole('table', { name: 'Plan' }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

/** The backend's 403, as the client throws it. */
const forbidden = () =>
  new Error(
    'You may not run stop-all on system:default/media: runbook.action.execute is denied on component:default/media-storage',
  );

describe('FleetCard', () => {
  it('previews the plan in order with its steps and skips, asks for the grace period and the System name, then follows each service', async () => {
    const user = userEvent.setup();
    let finished = false;
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () => stopDryRun()),
      startFleetRun: jest.fn(async () =>
        stopFleet(['pending', 'skipped', 'not-started', 'not-started']),
      ),
      getFleetRun: jest.fn(async () =>
        finished
          ? stopFleet(['succeeded', 'skipped', 'succeeded', 'succeeded'], {
              status: 'succeeded',
              finishedAt: new Date(TEST_NOW).toISOString(),
            })
          : stopFleet(['running', 'skipped', 'not-started', 'not-started']),
      ),
    });
    renderCard(api);
    expect(await screen.findByText('No fleet runs yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Stop all' }));

    expect(
      await screen.findByRole('dialog', { name: 'Stop all: media' }),
    ).toBeInTheDocument();
    expect(api.dryRunFleet).toHaveBeenCalledWith({
      action: 'stop-all',
      scope: SYSTEM_REF,
    });
    await screen.findByRole('table', { name: 'Plan' });
    expect(rows()).toEqual([
      ['1', 'media-transcode', 'will stop', ''],
      [
        '2',
        'media-thumbnails',
        'skipped',
        'already stopped (media-thumbnails: 0 replicas)',
      ],
      ['2', 'media-upload', 'will stop', ''],
      ['3', 'media-storage', 'will stop', ''],
    ]);

    const start = screen.getByRole('button', { name: 'Stop 3 services' });
    expect(start).toBeDisabled();
    const grace = screen.getByLabelText('Grace period (seconds)');
    await user.type(grace, '4000');
    expect(screen.getByText('must be at most 3600')).toBeInTheDocument();
    await user.clear(grace);
    await user.type(grace, '60');
    await user.type(screen.getByLabelText('Reason'), 'maintenance window');
    await user.type(screen.getByLabelText('Type media to confirm'), 'medi');
    expect(start).toBeDisabled();
    await user.type(screen.getByLabelText('Type media to confirm'), 'a');
    expect(start).toBeEnabled();
    await user.click(start);

    expect(api.startFleetRun).toHaveBeenCalledWith({
      action: 'stop-all',
      scope: SYSTEM_REF,
      gracePeriodSeconds: 60,
      confirm: 'media',
      reason: 'maintenance window',
    });
    expect(await screen.findByLabelText('Fleet run status')).toHaveTextContent(
      'running' +
        'stop-all by alice, 5 minutes ago: 1 running, 1 skipped, 2 not started',
    );
    finished = true;
    await waitFor(() =>
      expect(screen.getByLabelText('Fleet run status')).toHaveTextContent(
        /3 succeeded, 1 skipped$/,
      ),
    );
    expect(rows()).toEqual([
      ['1', 'media-transcode', 'succeeded', 'run-0', ''],
      [
        '2',
        'media-thumbnails',
        'skipped',
        '',
        'already stopped (media-thumbnails: 0 replicas)',
      ],
      ['2', 'media-upload', 'succeeded', 'run-2', ''],
      ['3', 'media-storage', 'succeeded', 'run-3', ''],
    ]);
    expect(screen.getByRole('link', { name: 'run-2' })).toHaveAttribute(
      'href',
      '/runbook/runs/run-2',
    );
    // Ended: no more polling, and nothing left to cancel.
    const calls = api.getFleetRun.mock.calls.length;
    await new Promise(r => setTimeout(r, 100));
    expect(api.getFleetRun.mock.calls.length).toBe(calls);
    expect(
      screen.queryByRole('button', { name: /Cancel fleet run/ }),
    ).toBeNull();
  });

  it('cancels a fleet run between services and shows what was not started', async () => {
    const user = userEvent.setup();
    const running = stopFleet([
      'running',
      'skipped',
      'not-started',
      'not-started',
    ]);
    let cancelled = false;
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [running] })),
      getFleetRun: jest.fn(async () =>
        cancelled
          ? stopFleet(['succeeded', 'skipped', 'not-started', 'not-started'], {
              status: 'cancelled',
              cancelRequested: true,
              error:
                'Cancelled on request. Not started: component:default/media-upload, component:default/media-storage.',
              children: stopFleet([
                'succeeded',
                'skipped',
                'not-started',
                'not-started',
              ]).children.map(c =>
                c.status === 'not-started'
                  ? { ...c, reason: 'not started: the fleet run was cancelled' }
                  : c,
              ),
            })
          : running,
      ),
      cancelFleetRun: jest.fn(async () => {
        cancelled = true;
        return { ...running, cancelRequested: true };
      }),
    });
    renderCard(api);
    await user.click(
      await screen.findByRole('button', {
        name: 'Details of Stop all fleet-1',
      }),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Cancel fleet run' }),
    );
    expect(api.cancelFleetRun).toHaveBeenCalledWith('fleet-1');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cancelled on request. Not started: component:default/media-upload, component:default/media-storage.',
    );
    expect(rows()[3]).toEqual([
      '3',
      'media-storage',
      'not started',
      '',
      'not started: the fleet run was cancelled',
    ]);
    expect(
      within(screen.getByLabelText('Fleet run status')).getByText('cancelled'),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal of the plan, naming the services, and starts nothing", async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () => {
        throw forbidden();
      }),
    });
    renderCard(api);
    await user.click(await screen.findByRole('button', { name: 'Stop all' }));
    expect(
      (await screen.findAllByText(/denied on component:default\/media-storage/))
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: 'Stop 0 services' }),
    ).toBeDisabled();
    expect(api.startFleetRun).not.toHaveBeenCalled();
  });

  it('starts all without a grace period field, and says when there is nothing to do', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () =>
        stopDryRun({
          action: 'start-all',
          confirmText: undefined,
          children: stopDryRun().children.map(c => ({
            entityRef: c.entityRef,
            status: 'skipped' as const,
            reason: 'already running (2 replicas)',
          })),
        }),
      ),
    });
    renderCard(api);
    await user.click(await screen.findByRole('button', { name: 'Start all' }));
    expect(
      await screen.findByText('Nothing to do: every service is skipped.'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Grace period (seconds)')).toBeNull();
    expect(screen.queryByLabelText(/to confirm/)).toBeNull();
    expect(
      screen.getByRole('button', { name: 'Start 0 services' }),
    ).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The history is read again when the dialog closes.
    expect(api.listFleetRuns).toHaveBeenCalledTimes(2);
    expect(api.listFleetRuns).toHaveBeenLastCalledWith({
      scope: SYSTEM_REF,
      limit: 5,
    });
  });

  it('runs diagnostics over the System: no grace period, no confirmation, each report behind its run', async () => {
    const user = userEvent.setup();
    const diagnosing = stopFleet(
      ['succeeded', 'succeeded', 'succeeded', 'succeeded'],
      {
        action: 'diagnostics',
        status: 'succeeded',
        gracePeriodSeconds: undefined,
      },
    );
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () =>
        stopDryRun({
          action: 'diagnostics',
          confirmText: undefined,
          children: stopDryRun().children.map(c => ({
            entityRef: c.entityRef,
            status: 'not-started' as const,
          })),
        }),
      ),
      startFleetRun: jest.fn(async () => diagnosing),
      getFleetRun: jest.fn(async () => diagnosing),
    });
    renderCard(api);
    await user.click(
      await screen.findByRole('button', { name: 'Run diagnostics' }),
    );
    await screen.findByRole('table', { name: 'Plan' });
    expect(rows().map(r => r[2])).toEqual([
      'will diagnose',
      'will diagnose',
      'will diagnose',
      'will diagnose',
    ]);
    expect(screen.queryByLabelText('Grace period (seconds)')).toBeNull();
    expect(screen.queryByLabelText(/to confirm/)).toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'Diagnose 4 services' }),
    );
    expect(api.startFleetRun).toHaveBeenCalledWith({
      action: 'diagnostics',
      scope: SYSTEM_REF,
    });
    expect(await screen.findByRole('link', { name: 'run-3' })).toHaveAttribute(
      'href',
      '/runbook/runs/run-3',
    );
  });
});
