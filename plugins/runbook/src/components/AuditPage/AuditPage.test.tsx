import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuditRecord } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { AuditPage } from './AuditPage';

const record = (changes: Partial<AuditRecord> = {}): AuditRecord => ({
  seq: 1,
  at: '2026-11-26T10:00:00Z',
  event: 'succeeded',
  actor: 'user:default/alice',
  entityRef: 'component:default/media-upload',
  action: 'scale',
  runId: 'run-1',
  outcome: 'succeeded',
  params: { replicas: 4 },
  summary: {},
  durationMs: 42_000,
  prevHash: 'a',
  hash: 'b',
  ...changes,
});

const verified = { ok: true, checked: 12, anchorsChecked: 2 };

function renderPage(api: ReturnType<typeof fakeRunbookApi>, url = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <AuditPage />
    </TestApiProvider>,
    { initialRouteEntries: [url] },
  );
}

describe('AuditPage', () => {
  it('lists the records with the chain verification status', async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [record()] })),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api);
    const row = (await screen.findByText('media-upload')).closest('tr')!;
    expect(within(row).getByText('alice')).toBeInTheDocument();
    expect(within(row).getByText('42s')).toBeInTheDocument();
    expect(within(row).getByText('run-1')).toBeInTheDocument();
    expect(
      await screen.findByText('Chain verified: 12 records, 2 anchors'),
    ).toBeInTheDocument();
    expect(api.listAudit).toHaveBeenCalledWith({ limit: 50, order: 'desc' });
  });

  it('shortens run UUIDs to eight characters, keeping the whole id as the title', async () => {
    const runId = 'c6bc173d-08be-4abb-8b82-eb1a5f4303e8';
    renderPage(
      fakeRunbookApi({
        listAudit: jest.fn(async () => ({ items: [record({ runId })] })),
        verifyAudit: jest.fn(async () => verified),
      }),
    );
    expect(await screen.findByText('c6bc173d')).toHaveAttribute('title', runId);
    expect(screen.queryByText(runId)).toBeNull();
  });

  it("opens filtered by a link's query, as the scaffolder's audit links ask", async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [record({ runId: 'run-7' })] })),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api, '/?run=run-7&entity=component%3Adefault%2Fmedia-upload');
    expect(await screen.findByText('run-7')).toBeInTheDocument();
    expect(api.listAudit).toHaveBeenCalledWith({
      run: 'run-7',
      entity: 'component:default/media-upload',
      limit: 50,
      order: 'desc',
    });
    expect(screen.getByLabelText('Run')).toHaveValue('run-7');
    expect(screen.getByLabelText('Entity')).toHaveValue(
      'component:default/media-upload',
    );
  });

  it('shows progress while the first page and the verification load', async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(() => new Promise(() => {})),
      verifyAudit: jest.fn(() => new Promise(() => {})),
    });
    renderPage(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.getByText('Verifying the audit chain…')).toBeInTheDocument();
  });

  it('shows where the chain breaks', async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => ({
        ok: false,
        checked: 7,
        anchorsChecked: 1,
        firstBrokenSeq: 5,
        problem: 'hash mismatch',
      })),
    });
    renderPage(api);
    expect(
      await screen.findByText('Chain broken at record 5: hash mismatch'),
    ).toBeInTheDocument();
  });

  it('says that the trail is empty, then that no record matches the filters', async () => {
    const user = userEvent.setup({ delay: null });
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api);
    expect(await screen.findByText(/No audit records yet/)).toBeInTheDocument();
    await user.click(screen.getByRole('textbox', { name: 'Actor' }));
    await user.paste('user:default/bob');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(
      await screen.findByText('No audit records match these filters.'),
    ).toBeInTheDocument();
  });

  it("shows the backend's error, such as a denial", async () => {
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => {
        throw new Error('runbook.audit.read denied for user:default/bob');
      }),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api);
    expect(
      (await screen.findAllByText(/runbook.audit.read denied/))[0],
    ).toBeInTheDocument();
  });

  it('queries with the applied filters', async () => {
    const user = userEvent.setup({ delay: null });
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [record()] })),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api);
    await screen.findByText('media-upload');

    await user.click(screen.getByRole('textbox', { name: 'Entity' }));
    await user.paste('component:default/media-upload');
    await user.type(screen.getByRole('textbox', { name: 'Outcome' }), 'failed');
    const filters = screen.getByRole('form', { name: 'Audit filters' });
    await user.click(within(filters).getByRole('button', { name: /^Action/ }));
    await user.click(await screen.findByRole('option', { name: 'set-image' }));
    await user.type(screen.getByLabelText('From'), '2026-11-01T00:00');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith({
        entity: 'component:default/media-upload',
        action: 'set-image',
        outcome: 'failed',
        from: expect.stringMatching(/^2026-(10-31|11-01)T\d\d:00:00\.000Z$/),
        limit: 50,
        order: 'desc',
      }),
    );
  });

  it("pages with the server's cursors", async () => {
    const user = userEvent.setup({ delay: null });
    const api = fakeRunbookApi({
      listAudit: jest.fn(async ({ cursor }) =>
        cursor === 'c2'
          ? { items: [record({ seq: 51, actor: 'user:default/bob' })] }
          : { items: [record()], nextCursor: 'c2' },
      ),
      verifyAudit: jest.fn(async () => verified),
    });
    renderPage(api);
    await screen.findByText('alice');
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('bob')).toBeInTheDocument();
    expect(api.listAudit).toHaveBeenLastCalledWith({
      cursor: 'c2',
      limit: 50,
      order: 'desc',
    });
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('alice')).toBeInTheDocument();
  });

  it('exports what the filter selects as a CSV download', async () => {
    const user = userEvent.setup({ delay: null });
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => verified),
      exportAudit: jest.fn(async () => 'seq,at\n1,2026-11-26T10:00:00Z\n'),
    });
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:audit');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function capture(this: HTMLAnchorElement) {
        clicks.push(this);
      });

    renderPage(api);
    await screen.findByText(/No audit records yet/);
    await user.click(screen.getByRole('textbox', { name: 'Actor' }));
    await user.paste('user:default/alice');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));

    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(api.exportAudit).toHaveBeenCalledWith('csv', {
      actor: 'user:default/alice',
    });
    expect(clicks[0].download).toBe('runbook-audit.csv');
    expect(clicks[0].href).toBe('blob:audit');
    expect(await createObjectURL.mock.calls[0][0].text()).toBe(
      'seq,at\n1,2026-11-26T10:00:00Z\n',
    );
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:audit');
    click.mockRestore();
  });

  it('shows why an export failed', async () => {
    const user = userEvent.setup({ delay: null });
    const api = fakeRunbookApi({
      listAudit: jest.fn(async () => ({ items: [] })),
      verifyAudit: jest.fn(async () => verified),
      exportAudit: jest.fn(async () => {
        throw new Error('export is too large');
      }),
    });
    renderPage(api);
    await user.click(
      await screen.findByRole('button', { name: 'Export JSON' }),
    );
    expect(
      (await screen.findAllByText(/export is too large/))[0],
    ).toBeInTheDocument();
    expect(api.exportAudit).toHaveBeenCalledWith('jsonl', {});
  });
});
