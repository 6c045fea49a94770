import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import {
  NEXUS_DB_REF,
  backupItem,
  dbResolution,
  nexusDb,
} from '../../testing/backups';
import { fakeRunbookApi, run } from '../../testing/fakeRunbookApi';
import { BackupsContent } from './BackupsContent';

const older = backupItem({
  id: 'nexus-db-20261202-020000-cd34',
  createdAt: '2026-12-02T02:00:00.000Z',
  origin: 'manual',
  by: 'user:default/quinn',
  verification: {
    at: '2026-12-02T03:00:00.000Z',
    by: 'user:default/rosa',
    ok: false,
    full: false,
    detail: 'sha256 mismatch: the file was changed or damaged after the backup',
  },
});

function renderTab(api: ReturnType<typeof fakeRunbookApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={nexusDb}>
        <BackupsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const api = (changes: Partial<Parameters<typeof fakeRunbookApi>[0]> = {}) =>
  fakeRunbookApi({
    getRunbook: jest.fn(async () => dbResolution()),
    listBackups: jest.fn(async () => ({ items: [backupItem(), older] })),
    ...changes,
  });

const rowOf = async (id: string) =>
  (await screen.findByText(id)).closest('tr') as HTMLElement;

describe('BackupsContent', () => {
  it('lists the backups of the DR target with size, sha256, tables and verification', async () => {
    const fake = api();
    await renderTab(fake);
    const row = await rowOf('nexus-db-20261203-020000-ab12');
    expect(fake.listBackups).toHaveBeenCalledWith('nexus-db');
    expect(within(row).getByText('3.0 MiB')).toBeInTheDocument();
    expect(within(row).getByText('ffffffff0123…')).toBeInTheDocument();
    expect(within(row).getByText('2 tables, 5,000 rows')).toBeInTheDocument();
    expect(
      within(row).getByText('schedule nexus-db-nightly'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText(/^passed \(full\), quinn/),
    ).toBeInTheDocument();
    const failed = await rowOf('nexus-db-20261202-020000-cd34');
    expect(within(failed).getByText(/^failed, rosa/)).toBeInTheDocument();
    expect(within(failed).getByText('quinn')).toBeInTheDocument();
  });

  it('says what to do when there is no backup yet', async () => {
    await renderTab(api({ listBackups: jest.fn(async () => ({ items: [] })) }));
    expect(
      await screen.findByText(/No backups yet: back up now/),
    ).toBeInTheDocument();
  });

  it('verifies a backup picked in the list', async () => {
    const user = userEvent.setup();
    const fake = api({
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'verify-backup',
        diff: [],
      })),
      startRun: jest.fn(async () => ({
        run: run({
          id: 'run-v',
          action: 'verify-backup',
          entityRef: NEXUS_DB_REF,
        }),
        replayed: false,
      })),
      getRun: jest.fn(async () => run({ id: 'run-v', status: 'running' })),
    });
    await renderTab(fake);
    await user.click(
      within(await rowOf('nexus-db-20261202-020000-cd34')).getByRole('button', {
        name: 'Verify nexus-db-20261202-020000-cd34',
      }),
    );
    const form = await screen.findByRole('form', { name: 'Verify backup' });
    expect(within(form).getByRole('textbox', { name: /Backup/ })).toHaveValue(
      'nexus-db-20261202-020000-cd34',
    );
    await user.click(
      within(form).getByRole('checkbox', { name: /Full check/ }),
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review verify backup' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Dry run: what this run would do.'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(fake.startRun).toHaveBeenCalled());
    expect(fake.startRun.mock.calls[0].slice(0, 2)).toEqual([
      NEXUS_DB_REF,
      {
        action: 'verify-backup',
        input: { backupId: 'nexus-db-20261202-020000-cd34', full: true },
      },
    ]);
  });

  it('restores in place only with a reason and the database name typed', async () => {
    const user = userEvent.setup();
    const fake = api({
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'restore',
        diff: [
          {
            kind: 'Database',
            name: 'nexus_db',
            namespace: 'nexus-db',
            operation: 'update',
            changes: [
              { path: 'public.sessions.rows', before: 2900, after: 3000 },
            ],
          },
        ],
      })),
      startRun: jest.fn(async () => ({
        run: run({ id: 'run-r', action: 'restore', entityRef: NEXUS_DB_REF }),
        replayed: false,
      })),
      getRun: jest.fn(async () => run({ id: 'run-r', status: 'running' })),
    });
    await renderTab(fake);
    await user.click(
      within(await rowOf('nexus-db-20261203-020000-ab12')).getByRole('button', {
        name: 'Restore nexus-db-20261203-020000-ab12',
      }),
    );
    const form = await screen.findByRole('form', { name: 'Restore' });
    await user.selectOptions(
      within(form).getByRole('combobox', { name: /Restore into/ }),
      'in-place',
    );
    expect(
      within(form).getByText(/Restoring in place replaces every table/),
    ).toHaveTextContent('It needs the runbook.restore.inplace permission.');
    const review = within(form).getByRole('button', { name: 'Review restore' });
    expect(review).toBeDisabled();
    await user.type(
      within(form).getByRole('textbox', { name: /Reason/ }),
      'sessions lost in a bad migration',
    );
    expect(review).toBeEnabled();
    await user.click(review);

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('public.sessions.rows'),
    ).toBeInTheDocument();
    const runButton = within(dialog).getByRole('button', { name: 'Run' });
    expect(runButton).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Type nexus-db to confirm' }),
      'nexus-db',
    );
    await user.click(runButton);
    await waitFor(() => expect(fake.startRun).toHaveBeenCalled());
    expect(fake.startRun.mock.calls[0].slice(0, 2)).toEqual([
      NEXUS_DB_REF,
      {
        action: 'restore',
        input: { backupId: 'nexus-db-20261203-020000-ab12', mode: 'in-place' },
        reason: 'sessions lost in a bad migration',
        confirm: 'nexus-db',
      },
    ]);
    // The run's progress follows, below the forms.
    await waitFor(() => expect(fake.getRun).toHaveBeenCalledWith('run-r'));
  });

  it('shows why a backup action cannot run', async () => {
    const reason =
      'Backups: no store configured (set runbook.backup.store.directory)';
    await renderTab(
      api({
        getRunbook: jest.fn(async () =>
          dbResolution({
            actions: [
              { action: 'backup', allowed: false, reason },
              { action: 'verify-backup', allowed: false, reason },
              { action: 'restore', allowed: false, reason },
            ],
          }),
        ),
      }),
    );
    expect(await screen.findAllByText(`Not allowed: ${reason}`)).toHaveLength(
      3,
    );
  });
});
