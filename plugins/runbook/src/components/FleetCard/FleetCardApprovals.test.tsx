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
import { DateTime } from 'luxon';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { approvalsRouteRef, runRouteRef } from '../../routes';
import { awaitingFleet } from '../../testing/approvals';
import { pinDate } from '../../testing/clock';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { stopDryRun, stopFleet } from '../../testing/fleet';
import { mediaComponents, mediaSystem, SYSTEM_REF } from '../../testing/system';
import { FleetCard } from './FleetCard';

// Expiry times and "… ago" are read against a frozen Date, not the wall clock.
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
        '/runbook/approvals': approvalsRouteRef,
      },
    },
  );
}

const until = DateTime.fromISO(
  awaitingFleet().approval!.expiresAt,
).toLocaleString(DateTime.DATETIME_MED);
const awaiting = `awaiting approval by members of group:default/platform-lead or the on-call of group:default/team-media (rule "stop-all in production"), until ${until}`;

describe('FleetCard and approvals', () => {
  it('says a waiting stop-all first, with whom it awaits, and its details withdraw it; the requester gets no Approve', async () => {
    const user = userEvent.setup();
    let withdrawn = false;
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({
        items: [
          withdrawn ? awaitingFleet({ status: 'cancelled' }) : awaitingFleet(),
          stopFleet(['succeeded', 'skipped', 'succeeded', 'succeeded'], {
            status: 'succeeded',
          }),
        ],
      })),
      getFleetRun: jest.fn(async () =>
        withdrawn ? awaitingFleet({ status: 'cancelled' }) : awaitingFleet(),
      ),
      // Alice asked: the server lists it among hers, not among those she may decide.
      listApprovals: jest.fn(async () => ({ items: [], fleet: [] })),
      cancelFleetRun: jest.fn(async () => {
        withdrawn = true;
        return awaitingFleet({ status: 'cancelled' });
      }),
    });
    renderCard(api);

    const notice = await screen.findByRole('status', {
      name: 'Stop all fleet-wait-1 awaits approval',
    });
    expect(notice).toHaveTextContent(
      `Stop all by alice is ${awaiting}; no service changes until then.`,
    );
    expect(
      within(notice).getByRole('link', { name: 'Open the Approvals page' }),
    ).toHaveAttribute('href', '/runbook/approvals');
    // Only the waiting one is said; the one that ran is in the history.
    expect(screen.getAllByRole('status')).toHaveLength(1);
    expect(
      within(
        screen.getByRole('table', { name: 'Recent fleet runs' }),
      ).getByText('awaiting-approval'),
    ).toBeInTheDocument();

    await user.click(
      within(notice).getByRole('button', {
        name: 'Details of Stop all fleet-wait-1 awaiting approval',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Stop all: media',
    });
    const approval = await within(dialog).findByRole('region', {
      name: 'Approval',
    });
    expect(approval).toHaveTextContent(`This fleet run is ${awaiting}.`);
    expect(approval).toHaveTextContent('0 of 1 approval given');
    expect(within(dialog).queryByRole('progressbar')).toBeNull();
    await waitFor(() => expect(api.listApprovals).toHaveBeenCalledWith());
    expect(
      within(dialog).queryByRole('button', { name: 'Approve' }),
    ).toBeNull();
    expect(
      within(dialog).queryByRole('button', { name: 'Cancel fleet run' }),
    ).toBeNull();

    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    expect(api.cancelFleetRun).toHaveBeenCalledWith('fleet-wait-1');
    await waitFor(() =>
      expect(
        within(within(dialog).getByLabelText('Fleet run status')).getByText(
          'cancelled',
        ),
      ).toBeInTheDocument(),
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Withdraw request' }),
    ).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(
        screen.queryByRole('status', {
          name: 'Stop all fleet-wait-1 awaits approval',
        }),
      ).toBeNull(),
    );
  });

  it('offers Approve to one who may decide, and follows the fleet run once approved', async () => {
    const user = userEvent.setup();
    let current: FleetRun = awaitingFleet();
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [awaitingFleet()] })),
      getFleetRun: jest.fn(async () => current),
      listApprovals: jest.fn(async () => ({
        items: [],
        fleet: current.status === 'awaiting-approval' ? [current] : [],
      })),
      approveFleetRun: jest.fn(async () => {
        current = stopFleet(
          ['running', 'skipped', 'not-started', 'not-started'],
          {
            id: 'fleet-wait-1',
            approval: {
              ...awaitingFleet().approval!,
              approvals: [
                {
                  actor: 'user:default/zoe',
                  at: new Date().toISOString(),
                  comment: 'window agreed',
                },
              ],
            },
          },
        );
        return current;
      }),
    });
    renderCard(api);
    await user.click(
      await screen.findByRole('button', {
        name: 'Details of Stop all fleet-wait-1 awaiting approval',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Stop all: media',
    });
    await user.click(
      await within(dialog).findByRole('button', { name: 'Approve' }),
    );
    const decision = await screen.findByRole('dialog', {
      name: 'Approve stop all on media',
    });
    await user.type(
      within(decision).getByRole('textbox', { name: 'Comment' }),
      'window agreed',
    );
    await user.click(within(decision).getByRole('button', { name: 'Approve' }));
    expect(api.approveFleetRun).toHaveBeenCalledWith(
      'fleet-wait-1',
      'window agreed',
    );
    const status = await within(dialog).findByLabelText('Fleet run status');
    await waitFor(() => expect(status).toHaveTextContent(/^running/));
    const given = within(dialog).getByRole('list', { name: 'Approvals given' });
    expect(given).toHaveTextContent('Approved by zoe');
    expect(given).toHaveTextContent('window agreed');
    expect(
      within(dialog).queryByText(/This fleet run is awaiting approval/),
    ).toBeNull();
    expect(within(dialog).getByRole('progressbar')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel fleet run' }),
    ).toBeInTheDocument();
  });

  it('says so when the stop-all the user starts is held for approval', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      listFleetRuns: jest.fn(async () => ({ items: [] })),
      dryRunFleet: jest.fn(async () => stopDryRun()),
      startFleetRun: jest.fn(async () => awaitingFleet()),
      getFleetRun: jest.fn(async () => awaitingFleet()),
      listApprovals: jest.fn(async () => ({ items: [], fleet: [] })),
    });
    renderCard(api);
    await user.click(await screen.findByRole('button', { name: 'Stop all' }));
    await screen.findByRole('table', { name: 'Plan' });
    await user.type(screen.getByLabelText('Reason'), 'storage migration');
    await user.type(screen.getByLabelText('Type media to confirm'), 'media');
    await user.click(screen.getByRole('button', { name: 'Stop 3 services' }));
    expect(api.startFleetRun).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'stop-all', scope: SYSTEM_REF }),
    );
    expect(
      await screen.findByRole('region', { name: 'Approval' }),
    ).toHaveTextContent(`This fleet run is ${awaiting}.`);
    expect(screen.getByLabelText('Fleet run status')).toHaveTextContent(
      'awaiting-approval',
    );
    expect(
      screen.getByRole('button', { name: 'Withdraw request' }),
    ).toBeInTheDocument();
  });
});
