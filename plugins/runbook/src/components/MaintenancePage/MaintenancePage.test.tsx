import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MaintenancePeriod } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { overviewRouteRef } from '../../routes';
import { calendar, maintenanceItem } from '../../testing/backups';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { MaintenancePage } from './MaintenancePage';

const health = maintenanceItem({
  id: 'system-health@2026-12-03',
  taskId: 'system-health',
  title: 'Check system health',
  kind: 'automated',
  check: 'health-sweep',
  status: 'failed',
  by: 'maintenance:health-sweep',
  at: '2026-12-03T00:00:05.000Z',
  summary: '41 of 43 services healthy, 1 degraded, 1 down',
  evidence: { services: 43, down: [{ entityRef: 'component:default/cart' }] },
});
const metrics = maintenanceItem({ status: 'overdue' });
const dependencies = maintenanceItem({
  id: 'dependency-updates@2026-12',
  taskId: 'dependency-updates',
  title: 'Dependency updates',
  status: 'done',
  by: 'user:default/quinn',
  at: '2026-12-02T10:00:00.000Z',
  summary: 'Bumped pg to 8.13',
  evidence: { note: 'Bumped pg to 8.13' },
});

function fakeApi() {
  const items: Record<MaintenancePeriod, any[]> = {
    daily: [health, metrics],
    weekly: [],
    monthly: [dependencies],
  };
  return fakeRunbookApi({
    getMaintenance: jest.fn(async (period: MaintenancePeriod) =>
      calendar(period, items[period]),
    ),
    completeMaintenanceItem: jest.fn(async (id: string, note: string) => {
      items.daily = items.daily.map(i =>
        i.id === id
          ? {
              ...i,
              status: 'done',
              by: 'user:default/alice',
              at: '2026-12-03T10:00:00.000Z',
              summary: note,
            }
          : i,
      );
      return items.daily.find(i => i.id === id);
    }),
  });
}

const renderPage = (api: ReturnType<typeof fakeRunbookApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <MaintenancePage />
    </TestApiProvider>,
    { mountedRoutes: { '/runbook/overview': overviewRouteRef } },
  );

describe('MaintenancePage', () => {
  it('shows today, this week and this month: what is done, by whom, the evidence and what is overdue', async () => {
    const api = fakeApi();
    await renderPage(api);
    expect(
      await screen.findByText('1 item overdue: Review metrics'),
    ).toBeInTheDocument();
    for (const title of ['Today', 'This week', 'This month']) {
      expect(screen.getByText(title)).toBeInTheDocument();
    }
    const healthRow = screen.getByText('Check system health').closest('tr')!;
    expect(within(healthRow).getByText('failed')).toBeInTheDocument();
    expect(
      within(healthRow).getByText(/^check health-sweep/),
    ).toBeInTheDocument();
    expect(
      within(healthRow).getByText(
        '41 of 43 services healthy, 1 degraded, 1 down',
      ),
    ).toBeInTheDocument();
    // The daily health item links to the Ops overview.
    expect(
      within(healthRow).getByRole('link', { name: 'Open the Ops overview' }),
    ).toHaveAttribute('href', '/runbook/overview');
    const done = screen.getByText('Dependency updates').closest('tr')!;
    expect(within(done).getByText('done')).toBeInTheDocument();
    expect(within(done).getByText(/^quinn/)).toBeInTheDocument();
    expect(within(done).queryByRole('button', { name: /Mark/ })).toBeNull();
    expect(
      screen.getByText(
        'No tasks in this period: add them to runbook.maintenance.tasks.',
      ),
    ).toBeInTheDocument();
  });

  it('opens the evidence a check recorded', async () => {
    const user = userEvent.setup();
    await renderPage(fakeApi());
    const healthRow = (await screen.findByText('Check system health')).closest(
      'tr',
    )!;
    await user.click(within(healthRow).getAllByRole('button')[0]);
    expect(
      await screen.findByLabelText('Evidence of Check system health'),
    ).toHaveTextContent('"entityRef": "component:default/cart"');
  });

  it('ticks a manual item with a note, and shows it done', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    await renderPage(api);
    await user.click(
      await screen.findByRole('button', { name: 'Mark Review metrics done' }),
    );
    const dialog = await screen.findByRole('dialog');
    const save = within(dialog).getByRole('button', { name: 'Mark done' });
    expect(save).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'Grafana reviewed: nothing unusual',
    );
    await user.click(save);
    expect(api.completeMaintenanceItem).toHaveBeenCalledWith(
      'review-metrics@2026-12-03',
      'Grafana reviewed: nothing unusual',
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const row = (
      await screen.findByText('Grafana reviewed: nothing unusual')
    ).closest('tr')!;
    expect(within(row).getByText('done')).toBeInTheDocument();
    expect(screen.queryByText(/item overdue/)).toBeNull();
  });

  it('keeps the dialog open with the server’s reason when a tick is refused', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.completeMaintenanceItem.mockRejectedValueOnce(
      Object.assign(
        new Error(
          'You may not tick maintenance items (runbook.maintenance.complete)',
        ),
        {
          name: 'NotAllowedError',
        },
      ),
    );
    await renderPage(api);
    await user.click(
      await screen.findByRole('button', { name: 'Mark Review metrics done' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'done',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Mark done' }));
    expect(
      (await within(dialog).findAllByText(/runbook.maintenance.complete/))[0],
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('textbox', { name: /Note/ })).toHaveValue(
      'done',
    );
  });
});
