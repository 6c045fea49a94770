import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { runbookApiRef } from '../../api';
import { approvalsRouteRef } from '../../routes';
import {
  approval,
  approvalsApi,
  at,
  awaitingRun,
  EMERGENCY_INCIDENT_ID,
  emergencyRun,
  MINUTE,
} from '../../testing/approvals';
import { pinDate } from '../../testing/clock';
import { fakeRunbookApi, run } from '../../testing/fakeRunbookApi';
import { RunProgress } from './RunProgress';

// Approval expiry countdowns are read against a frozen Date, not the wall clock.
pinDate();

const logLine = (seq: number, message: string) => ({
  seq,
  at: '2026-11-26T10:00:02Z',
  level: 'info' as const,
  message,
});

function fakeSignals() {
  const listeners = new Map<string, (message: object) => void>();
  return {
    listeners,
    api: {
      subscribe: jest.fn((channel: string, listener: (m: object) => void) => {
        listeners.set(channel, listener);
        return { unsubscribe: () => listeners.delete(channel) };
      }),
    },
  };
}

function renderProgress(
  api: ReturnType<typeof fakeRunbookApi>,
  signals?: ReturnType<typeof fakeSignals>,
  onFinished?: () => void,
  options: { runId?: string; details?: boolean } = {},
) {
  const element = (
    <RunProgress
      runId={options.runId ?? 'run-1'}
      details={options.details}
      onFinished={onFinished}
    />
  );
  const routes = {
    mountedRoutes: {
      '/runbook/approvals': approvalsRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  };
  return renderInTestApp(
    signals ? (
      <TestApiProvider
        apis={[
          [runbookApiRef, api],
          [signalApiRef, signals.api],
        ]}
      >
        {element}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[runbookApiRef, api]]}>{element}</TestApiProvider>
    ),
    routes,
  );
}

const localTime = (iso: string) =>
  DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);

describe('RunProgress', () => {
  it('updates from a signal that names the run', async () => {
    const signals = fakeSignals();
    const onFinished = jest.fn();
    const api = fakeRunbookApi({
      getRun: jest
        .fn()
        .mockResolvedValueOnce(run())
        .mockResolvedValue(
          run({ status: 'succeeded', finishedAt: '2026-11-26T10:00:43Z' }),
        ),
      getRunLog: jest
        .fn()
        .mockResolvedValueOnce({ items: [logLine(1, 'scaling to 4')] })
        .mockResolvedValue({ items: [logLine(2, 'rollout complete')] }),
    });
    renderProgress(api, signals, onFinished);

    expect(await screen.findByText('running')).toBeInTheDocument();
    expect(screen.getByText(/scaling to 4/)).toBeInTheDocument();
    expect(signals.api.subscribe).toHaveBeenCalledWith(
      'runbook:runs',
      expect.any(Function),
    );
    const publish = signals.listeners.get('runbook:runs')!;

    act(() => publish({ runId: 'run-2', status: 'succeeded' }));
    expect(api.getRun).toHaveBeenCalledTimes(1);

    act(() => publish({ runId: 'run-1', status: 'succeeded' }));

    expect(await screen.findByText('succeeded')).toBeInTheDocument();
    expect(screen.getByText(/rollout complete/)).toBeInTheDocument();
    expect(screen.getByText(/took 42s/)).toBeInTheDocument();
    expect(api.getRunLog).toHaveBeenLastCalledWith('run-1', { after: 1 });
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
  });

  it('polls every 2 seconds when signals are not available', async () => {
    const api = fakeRunbookApi({
      getRun: jest
        .fn()
        .mockResolvedValueOnce(run({ status: 'pending' }))
        .mockResolvedValue(
          run({ status: 'failed', error: 'rollout timed out' }),
        ),
    });
    renderProgress(api);
    expect(await screen.findByText('pending')).toBeInTheDocument();
    expect(
      await screen.findByText('rollout timed out', {}, { timeout: 3500 }),
    ).toBeInTheDocument();
    expect(screen.getByText('failed')).toBeInTheDocument();
  });

  it('cancels the run', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRun: jest.fn(async () => run()),
      cancelRun: jest.fn(async () => run({ status: 'cancelled' })),
    });
    renderProgress(api, fakeSignals());
    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    expect(api.cancelRun).toHaveBeenCalledWith('run-1');
    expect(await screen.findByText('cancelled')).toBeInTheDocument();
  });

  it('shows why cancelling failed', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRun: jest.fn(async () => run()),
      cancelRun: jest.fn(async () => {
        throw new Error('run-1 already finished');
      }),
    });
    renderProgress(api, fakeSignals());
    await user.click(await screen.findByRole('button', { name: 'Cancel run' }));
    expect(
      (await screen.findAllByText(/run-1 already finished/))[0],
    ).toBeInTheDocument();
  });

  it('shows a loading skeleton, then the error when the run cannot be read', async () => {
    let fail: (e: Error) => void = () => {};
    const api = fakeRunbookApi({
      getRun: jest.fn(
        () =>
          new Promise((_, reject) => {
            fail = reject;
          }),
      ),
    });
    renderProgress(api, fakeSignals());
    expect(await screen.findByLabelText('Loading run')).toBeInTheDocument();
    act(() => fail(new Error('run run-1 not found')));
    expect(
      (await screen.findAllByText(/run run-1 not found/))[0],
    ).toBeInTheDocument();
  });

  describe('a run with an approval', () => {
    it('says whom a waiting run awaits and until when instead of a progress bar, and follows it once approved', async () => {
      const signals = fakeSignals();
      const waiting = awaitingRun();
      const api = fakeRunbookApi({
        getRun: jest
          .fn()
          .mockResolvedValueOnce(waiting)
          .mockResolvedValue(
            awaitingRun({ status: 'running', startedAt: at(0) }),
          ),
      });
      renderProgress(api, signals, undefined, { runId: waiting.id });

      const state = await screen.findByRole('region', { name: 'Approval' });
      expect(screen.getByText('awaiting-approval')).toBeInTheDocument();
      expect(state).toHaveTextContent(
        `This run is awaiting approval by members of group:default/platform-lead (rule "production scale"), until ${localTime(
          waiting.approval!.expiresAt,
        )}.`,
      );
      expect(state).toHaveTextContent(
        '0 of 1 approval given; expires in 30m 0s. Nothing changes until then.',
      );
      expect(
        within(state).getByRole('link', { name: 'Open the Approvals page' }),
      ).toHaveAttribute('href', '/runbook/approvals');
      expect(screen.queryByLabelText('Run in progress')).toBeNull();
      expect(
        screen.getByRole('button', { name: 'Withdraw request' }),
      ).toBeInTheDocument();

      act(() =>
        signals.listeners.get('runbook:runs')!({
          runId: waiting.id,
          status: 'running',
        }),
      );
      expect(await screen.findByText('running')).toBeInTheDocument();
      expect(screen.getByLabelText('Run in progress')).toBeInTheDocument();
      expect(screen.queryByText(/This run is awaiting approval/)).toBeNull();
      expect(screen.getByRole('button', { name: 'Cancel run' })).toBeEnabled();
    });

    it('withdraws a waiting run', async () => {
      const user = userEvent.setup();
      const api = fakeRunbookApi({
        getRun: jest.fn(async () => awaitingRun()),
        cancelRun: jest.fn(async () =>
          awaitingRun({
            status: 'cancelled',
            error: 'Withdrawn by user:default/alice while awaiting approval',
          }),
        ),
      });
      renderProgress(api, fakeSignals(), undefined, { runId: 'run-wait-1' });
      await user.click(
        await screen.findByRole('button', { name: 'Withdraw request' }),
      );
      expect(api.cancelRun).toHaveBeenCalledWith('run-wait-1');
      expect(await screen.findByText('cancelled')).toBeInTheDocument();
      expect(
        screen.getByText(
          'Withdrawn by user:default/alice while awaiting approval',
        ),
      ).toBeInTheDocument();
    });

    it('lists the approvals given, with who, when and why', async () => {
      const api = fakeRunbookApi({
        getRun: jest.fn(async () =>
          run({
            status: 'succeeded',
            finishedAt: at(0),
            approval: approval({
              required: 2,
              approvals: [
                {
                  actor: 'user:default/zoe',
                  at: at(-3 * MINUTE),
                  comment: 'capacity for the sale',
                },
                {
                  actor: 'user:default/marco',
                  at: at(-1 * MINUTE),
                  comment: 'agreed',
                },
              ],
            }),
          }),
        ),
      });
      renderProgress(api, fakeSignals());
      const given = await screen.findByRole('list', {
        name: 'Approvals given',
      });
      const items = within(given).getAllByRole('listitem');
      expect(items.map(i => i.textContent)).toEqual([
        'Approved by zoe 3 minutes ago: capacity for the sale',
        'Approved by marco 1 minute ago: agreed',
      ]);
      expect(screen.queryByText(/awaiting approval/)).toBeNull();
    });

    it('says who rejected a run and why, once', async () => {
      const api = fakeRunbookApi({
        getRun: jest.fn(async () =>
          awaitingRun({
            status: 'rejected',
            finishedAt: at(0),
            error: 'Rejected by user:default/zoe: not during the sale',
            approval: approval({
              rejection: {
                actor: 'user:default/zoe',
                at: at(-2 * MINUTE),
                comment: 'not during the sale',
              },
            }),
          }),
        ),
      });
      renderProgress(api, fakeSignals(), undefined, { runId: 'run-wait-1' });
      expect(await screen.findByText('rejected')).toBeInTheDocument();
      const state = screen.getByRole('region', { name: 'Approval' });
      expect(state).toHaveTextContent(
        'Rejected by zoe 2 minutes ago: not during the sale',
      );
      expect(screen.getAllByText(/not during the sale/)).toHaveLength(1);
      expect(
        screen.queryByRole('button', { name: /Withdraw|Cancel/ }),
      ).toBeNull();
    });

    it('says when a run expired without a decision', async () => {
      const expiresAt = at(-1 * MINUTE);
      const api = fakeRunbookApi({
        getRun: jest.fn(async () =>
          awaitingRun(
            {
              status: 'expired',
              finishedAt: expiresAt,
              error: `No approval before ${expiresAt}`,
            },
            { expiresAt },
          ),
        ),
      });
      renderProgress(api, fakeSignals(), undefined, { runId: 'run-wait-1' });
      expect(await screen.findByText('expired')).toBeInTheDocument();
      expect(
        screen.getByRole('region', { name: 'Approval' }),
      ).toHaveTextContent(
        `Expired: nobody approved it before ${localTime(
          expiresAt,
        )}; nothing changed.`,
      );
      expect(screen.queryByText(`No approval before ${expiresAt}`)).toBeNull();
    });

    it('names the freeze and links the incident of an emergency change', async () => {
      const api = approvalsApi(
        {},
        { getRun: jest.fn(async () => emergencyRun()) },
      );
      renderProgress(api, fakeSignals(), undefined, {
        runId: 'run-emergency-1',
      });
      const state = await screen.findByRole('region', { name: 'Approval' });
      expect(state).toHaveTextContent(
        'Emergency change during the change freeze "year-end", answering P1 Checkout errors.',
      );
      expect(
        await within(state).findByRole('link', { name: 'P1 Checkout errors' }),
      ).toHaveAttribute(
        'href',
        `/catalog/default/component/checkout/incidents?incident=${EMERGENCY_INCIDENT_ID}`,
      );
    });

    it('offers Approve and Reject on the run page to those who may decide, with the diff they decide on', async () => {
      const user = userEvent.setup();
      const waiting = awaitingRun();
      const api = approvalsApi(
        { decide: [waiting] },
        {
          getRun: jest
            .fn()
            .mockResolvedValueOnce(waiting)
            .mockResolvedValue(
              awaitingRun(
                { status: 'pending' },
                {
                  approvals: [
                    { actor: 'user:default/zoe', at: at(0), comment: 'go' },
                  ],
                },
              ),
            ),
          approveRun: jest.fn(async () => awaitingRun({ status: 'pending' })),
        },
      );
      renderProgress(api, fakeSignals(), undefined, {
        runId: waiting.id,
        details: true,
      });
      const diff = await screen.findByRole('region', {
        name: 'Diff to approve',
      });
      expect(
        within(diff).getByRole('row', { name: 'spec.replicas 3 4' }),
      ).toBeInTheDocument();
      await user.click(await screen.findByRole('button', { name: 'Approve' }));
      const dialog = await screen.findByRole('dialog');
      await user.type(
        within(dialog).getByRole('textbox', { name: 'Comment' }),
        'go',
      );
      await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
      expect(api.approveRun).toHaveBeenCalledWith(waiting.id, 'go');
      expect(await screen.findByText('pending')).toBeInTheDocument();
      expect(
        await screen.findByRole('list', { name: 'Approvals given' }),
      ).toHaveTextContent('Approved by zoe');
    });

    it('offers no decision to the requester, whom the server does not list', async () => {
      const api = approvalsApi(
        { decide: [] },
        { getRun: jest.fn(async () => awaitingRun()) },
      );
      renderProgress(api, fakeSignals(), undefined, {
        runId: 'run-wait-1',
        details: true,
      });
      expect(
        await screen.findByRole('region', { name: 'Diff to approve' }),
      ).toBeInTheDocument();
      await act(async () => {
        await Promise.resolve();
      });
      expect(api.listApprovals).toHaveBeenCalledWith();
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
    });
  });
});
