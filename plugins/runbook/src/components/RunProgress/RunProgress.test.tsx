import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { fakeRunbookApi, run } from '../../testing/fakeRunbookApi';
import { RunProgress } from './RunProgress';

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
) {
  const element = <RunProgress runId="run-1" onFinished={onFinished} />;
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
  );
}

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
});
