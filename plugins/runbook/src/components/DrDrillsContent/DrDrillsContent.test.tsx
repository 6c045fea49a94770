import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import {
  NEXUS_DB_REF,
  dbResolution,
  drillRun,
  nexusDb,
} from '../../testing/backups';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { formatSeconds } from './drills';
import { DrDrillsContent } from './DrDrillsContent';

function renderTab(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={nexusDb}>
        <DrDrillsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('DrDrillsContent', () => {
  it('charts RTO and RPO of every drill and lists them newest first with their tables', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => dbResolution()),
      // Newest first, as the engine lists runs.
      listRuns: jest.fn(async () => ({
        items: [
          drillRun('drill-dec', '2026-12-01T03:10:00Z', {
            rtoSeconds: 4.2,
            rpoSeconds: 3725,
          }),
          drillRun('drill-nov', '2026-11-01T03:10:00Z', {
            verdict: 'fail',
            failure: 'The restore differs from the source in public.users',
            rtoSeconds: 3.1,
            rpoSeconds: 90,
            tables: [
              {
                table: 'public.users',
                sourceRows: 2000,
                restoredRows: 1999,
                sourceChecksum: 'a'.repeat(32),
                restoredChecksum: 'c'.repeat(32),
                match: false,
              },
            ],
          }),
        ],
      })),
    });
    await renderTab(api);
    expect(api.listRuns).toHaveBeenCalledWith(NEXUS_DB_REF, {
      action: 'dr-drill',
      limit: 100,
    });
    expect(
      await screen.findByText('Last drill: RTO 4.2 s, RPO 1 h 2 min'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'RTO and RPO of the drills' }),
    ).toBeInTheDocument();

    const rows = screen
      .getAllByRole('row')
      .filter(r => within(r).queryByText(/^(pass|fail)/));
    expect(
      rows.map(r => within(r).getByText(/^(pass|fail)/).textContent),
    ).toEqual([
      'pass',
      'fail: The restore differs from the source in public.users',
    ]);
    expect(within(rows[1]).getByText('0 of 1 match')).toBeInTheDocument();

    // A drill's row opens its tables, with rows and checksums on both sides.
    await user.click(within(rows[1]).getAllByRole('button')[0]);
    const tables = await screen.findByRole('table', {
      name: 'Tables of the drill drill-nov',
    });
    expect(within(tables).getByText('2000 → 1999')).toBeInTheDocument();
    expect(
      within(tables).getByText('aaaaaaaaaaaa / cccccccccccc'),
    ).toBeInTheDocument();
    expect(within(tables).getByText('NO')).toBeInTheDocument();

    // And a drill can be run from here.
    expect(
      screen.getByRole('button', { name: /^DR drill/ }),
    ).toBeInTheDocument();
  });

  it('says how to get a first drill', async () => {
    await renderTab(
      fakeRunbookApi({
        getRunbook: jest.fn(async () => dbResolution()),
        listRuns: jest.fn(async () => ({ items: [] })),
      }),
    );
    expect(await screen.findByText('No drill yet')).toBeInTheDocument();
    expect(screen.getByText(/No drills yet: run one here/)).toBeInTheDocument();
  });

  it.each([
    [0.4, '0.4 s'],
    [42, '42 s'],
    [185, '3 min 5 s'],
    [7800, '2 h 10 min'],
    [undefined, '—'],
  ])('prints %p seconds as %p', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
