import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { approvalsRouteRef } from '../../routes';
import {
  MINUTE,
  at,
  awaitingFleet,
  awaitingRun,
  emergencyRun,
} from '../../testing/approvals';
import { pinDate } from '../../testing/clock';
import { PendingApprovals } from './PendingApprovals';

// Expiry countdowns are read against a frozen Date, not the wall clock.
pinDate();

describe('PendingApprovals', () => {
  it('puts the soonest expiry first and counts down to each', async () => {
    await renderInTestApp(
      <PendingApprovals
        items={[awaitingRun(), emergencyRun()]}
        fleet={[awaitingFleet({}, { expiresAt: at(10 * MINUTE) })]}
      />,
      { mountedRoutes: { '/runbook/approvals': approvalsRouteRef } },
    );
    const rows = within(
      screen.getByRole('table', { name: 'Waiting for your decision' }),
    )
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        within(row)
          .getAllByRole('cell')
          .map(cell => cell.textContent),
      );
    expect(rows).toEqual([
      [
        'Stop all on media',
        'alice',
        'stop-all in production',
        'expires in 10m 0s',
      ],
      [
        'Scale on media-upload',
        'alice',
        'production scale',
        'expires in 30m 0s',
      ],
      ['Rollout restart on checkout', 'bob', 'emergency', 'expires in 58m 0s'],
    ]);
    expect(
      screen.getByText(/^3 changes wait for your decision\./),
    ).toBeInTheDocument();
  });

  it('says one change in the singular, and leaves out the link where the app has no Approvals page', async () => {
    await renderInTestApp(
      <PendingApprovals items={[awaitingRun()]} fleet={[]} />,
    );
    expect(
      screen.getByText('1 change waits for your decision.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link')).toBeNull();
  });
});
