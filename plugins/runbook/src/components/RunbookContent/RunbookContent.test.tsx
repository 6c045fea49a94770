import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import {
  actionDefinition,
  RUNBOOK_ACTIONS,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { mediaUpload } from '../../testing/entities';
import {
  fakeRunbookApi,
  resolution,
  run,
  SERVICE_REF,
} from '../../testing/fakeRunbookApi';
import { RunbookContent } from './RunbookContent';

function renderTab(
  api: ReturnType<typeof fakeRunbookApi>,
  options?: {
    mountedRoutes?: Record<string, typeof runRouteRef>;
    initialRouteEntries?: string[];
  },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <RunbookContent />
      </EntityProvider>
    </TestApiProvider>,
    options,
  );
}

const diff = {
  dryRun: true as const,
  action: 'scale' as const,
  diff: [
    {
      kind: 'Deployment',
      name: 'media-upload',
      namespace: 'nexus-media',
      operation: 'update' as const,
      changes: [{ path: 'spec.replicas', before: 3, after: 4 }],
    },
  ],
};

async function openScale(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: /^Scale/ }));
  return screen.getByRole('form', { name: 'Scale' });
}

/** Asks to scale to 4 and waits for the dry run; the Scale form is already open. */
async function reviewScaleTo4(user: ReturnType<typeof userEvent.setup>) {
  const form = screen.getByRole('form', { name: 'Scale' });
  const replicas = within(form).getByRole('spinbutton', { name: /Replicas/ });
  await user.clear(replicas);
  await user.type(replicas, '4');
  await user.click(within(form).getByRole('button', { name: 'Review scale' }));
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByText('spec.replicas');
  return dialog;
}

const keysSent = (api: ReturnType<typeof fakeRunbookApi>) =>
  api.startRun.mock.calls.map(([, , options]) => options.idempotencyKey);

describe('RunbookContent', () => {
  it('opens the form that a link names with ?action=, as a diagnosis links to its fix', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
    });
    await renderTab(api, { initialRouteEntries: ['/?action=restart'] });
    const restart = await screen.findByRole('form', {
      name: 'Rollout restart',
    });
    expect(restart).toBeVisible();
    expect(
      within(restart).getByRole('button', { name: 'Review rollout restart' }),
    ).toBeVisible();
    expect(screen.getByRole('button', { name: /^Scale/ })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    expect(
      screen.getByRole('button', { name: /^Rollout restart/ }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows skeletons while the runbook loads', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(() => new Promise(() => {})),
    });
    renderTab(api);
    expect(await screen.findByLabelText('Loading runbook')).toBeInTheDocument();
  });

  it("shows the backend's error message", async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => {
        throw new Error('no such entity: component:default/media-upload');
      }),
    });
    renderTab(api);
    expect(
      (
        await screen.findAllByText(
          /no such entity: component:default\/media-upload/,
        )
      )[0],
    ).toBeInTheDocument();
  });

  it('says what to configure when the service offers no actions', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution({ actions: [] })),
    });
    renderTab(api);
    expect(
      await screen.findByText('This service offers no runbook actions'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/nexus-cos.io\/runbook-actions/),
    ).toBeInTheDocument();
  });

  it('checks the replica count against the limits as the user types', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
    });
    renderTab(api);
    const form = await openScale(user);
    const replicas = within(form).getByRole('spinbutton', { name: /Replicas/ });
    expect(within(form).getByText('Between 2 and 10')).toBeInTheDocument();

    await user.type(replicas, '12');
    expect(
      within(form).getByText('replicas must be between 2 and 10, got 12'),
    ).toBeInTheDocument();
    expect(
      within(form).getByRole('button', { name: 'Review scale' }),
    ).toBeDisabled();

    await user.clear(replicas);
    await user.type(replicas, '4');
    expect(
      within(form).getByRole('button', { name: 'Review scale' }),
    ).toBeEnabled();
  });

  it('refuses images outside the allowed repository', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
    });
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: /^Rolling update/ }),
    );
    const form = screen.getByRole('form', { name: 'Rolling update' });
    await user.type(
      within(form).getByRole('textbox', { name: /Image/ }),
      'evil/x:1',
    );
    expect(
      within(form).getByText(
        'image must come from the repository "nexus-cos/media-upload", not "evil/x"',
      ),
    ).toBeInTheDocument();
    expect(
      within(form).getByRole('button', { name: 'Review rolling update' }),
    ).toBeDisabled();
  });

  it("disables an action the user may not run and gives the server's reason", async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () =>
        resolution({
          actions: [
            {
              action: 'restart',
              allowed: false,
              reason: 'only team-media and its on-call may act on media-upload',
            },
          ],
        }),
      ),
    });
    renderTab(api);
    expect(
      await screen.findByText(
        'Not allowed: only team-media and its on-call may act on media-upload',
      ),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /^Rollout restart/ }));
    expect(
      screen.getByRole('button', { name: 'Review rollout restart' }),
    ).toBeDisabled();
  });

  it('shows the dry-run diff and starts the run with an idempotency key', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      dryRun: jest.fn(async () => diff),
      startRun: jest.fn(async () => ({ run: run(), replayed: false })),
      getRun: jest.fn(async () => run()),
    });
    renderTab(api);
    const form = await openScale(user);
    await user.type(
      within(form).getByRole('spinbutton', { name: /Replicas/ }),
      '4',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review scale' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Scale media-upload',
    });
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
      action: 'scale',
      input: { replicas: 4 },
    });
    const changes = await within(dialog).findByRole('table', {
      name: 'Changes to Deployment media-upload',
    });
    expect(within(changes).getByText('spec.replicas')).toBeInTheDocument();
    expect(within(changes).getByText('3')).toBeInTheDocument();
    expect(within(changes).getByText('4')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.startRun).toHaveBeenCalledWith(
      SERVICE_REF,
      { action: 'scale', input: { replicas: 4 } },
      { idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    );
    expect(await screen.findByText('running')).toBeInTheDocument();
  });

  it('says so when a retry returned the run the first attempt had started', async () => {
    const user = userEvent.setup();
    const createdAt = DateTime.now().minus({ minutes: 3 }).toISO()!;
    const earlier = run({ id: 'run-3', createdAt });
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      dryRun: jest.fn(async () => diff),
      startRun: jest
        .fn()
        .mockRejectedValueOnce(new TypeError('Failed to fetch'))
        .mockResolvedValueOnce({ run: earlier, replayed: true }),
      getRun: jest.fn(async () => earlier),
    });
    renderTab(api);
    await openScale(user);
    const dialog = await reviewScaleTo4(user);
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    expect(
      (await within(dialog).findAllByText(/Failed to fetch/))[0],
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));

    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent(
      `This request was already submitted at ${DateTime.fromISO(
        createdAt,
      ).toLocaleString(
        DateTime.DATETIME_MED_WITH_SECONDS,
      )} (3 minutes ago): showing that run (run-3) instead of starting another.`,
    );
    expect(await screen.findByText('running')).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-3');
    const [first, retry] = keysSent(api);
    expect(retry).toBe(first);
  });

  it('shows no replay notice when the request started a new run', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      dryRun: jest.fn(async () => diff),
      startRun: jest.fn(async () => ({ run: run(), replayed: false })),
      getRun: jest.fn(async () => run()),
    });
    renderTab(api);
    await openScale(user);
    const dialog = await reviewScaleTo4(user);
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));

    expect(await screen.findByText('running')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/already submitted/)).not.toBeInTheDocument();
  });

  it('keeps the idempotency key when the dialog is closed and the same request retried', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      dryRun: jest.fn(async () => diff),
      startRun: jest
        .fn()
        .mockRejectedValueOnce(new TypeError('Failed to fetch'))
        .mockResolvedValue({ run: run(), replayed: false }),
      getRun: jest.fn(async () => run()),
    });
    renderTab(api);
    await openScale(user);
    let dialog = await reviewScaleTo4(user);
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await within(dialog).findAllByText(/Failed to fetch/);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    dialog = await reviewScaleTo4(user);
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // Started: asking for the same change again is a new run, with a new key.
    dialog = await reviewScaleTo4(user);
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(3));

    const [first, retry, next] = keysSent(api);
    expect(retry).toBe(first);
    expect(next).not.toBe(first);
  });

  it('needs the service name typed before a production change runs', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () =>
        resolution({ production: true, confirmText: 'media-upload' }),
      ),
      dryRun: jest.fn(async () => diff),
      startRun: jest.fn(async () => ({ run: run(), replayed: false })),
      getRun: jest.fn(async () => run()),
    });
    renderTab(api);
    const form = await openScale(user);
    await user.type(
      within(form).getByRole('spinbutton', { name: /Replicas/ }),
      '4',
    );
    await user.keyboard('{Enter}');

    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('spec.replicas');
    const runButton = within(dialog).getByRole('button', { name: 'Run' });
    const confirm = within(dialog).getByRole('textbox', {
      name: 'Type media-upload to confirm',
    });
    await user.type(confirm, 'media-uploa');
    expect(runButton).toBeDisabled();
    await user.type(confirm, 'd');
    expect(runButton).toBeEnabled();
    await user.click(runButton);

    await waitFor(() =>
      expect(api.startRun).toHaveBeenCalledWith(
        SERVICE_REF,
        { action: 'scale', input: { replicas: 4 }, confirm: 'media-upload' },
        expect.anything(),
      ),
    );
  });

  it('keeps the dialog open with the error when the run is refused, and closes on Escape', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      dryRun: jest.fn(async () => diff),
      startRun: jest.fn(async () => {
        throw new Error('lock held by run run-0');
      }),
    });
    renderTab(api);
    const form = await openScale(user);
    await user.type(
      within(form).getByRole('spinbutton', { name: /Replicas/ }),
      '4',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review scale' }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('spec.replicas');
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    expect(
      (await within(dialog).findAllByText(/lock held by run run-0/))[0],
    ).toBeInTheDocument();

    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('lists the run history with outcome, actor and duration', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution()),
      listRuns: jest.fn(async () => ({
        items: [
          run({
            id: 'run-9',
            action: 'set-image',
            status: 'rolled-back',
            actor: 'user:default/bob',
            startedAt: '2026-11-26T10:00:00Z',
            finishedAt: '2026-11-26T10:01:05Z',
          }),
        ],
      })),
    });
    renderTab(api, { mountedRoutes: { '/runbook/runs/:id': runRouteRef } });
    const table = await screen.findByText('rolled-back');
    const row = table.closest('tr')!;
    expect(
      within(row).getByRole('link', { name: 'Rolling update' }),
    ).toHaveAttribute('href', '/runbook/runs/run-9');
    expect(within(row).getByText('bob')).toBeInTheDocument();
    expect(within(row).getByText('1m 5s')).toBeInTheDocument();
    expect(api.listRuns).toHaveBeenCalledWith(SERVICE_REF, { limit: 20 });
  });

  it('follows the run that holds the lock when the tab opens', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () => resolution({ activeRunId: 'run-7' })),
      getRun: jest.fn(async () => run({ id: 'run-7', status: 'pending' })),
    });
    renderTab(api);
    expect(await screen.findByText('pending')).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-7');
  });

  it('sends the ticked checklist items in the runbook order', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () =>
        resolution({ actions: [{ action: 'checklist', allowed: true }] }),
      ),
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'checklist',
        diff: [],
      })),
    });
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: /^Pre-deployment checklist/ }),
    );
    const form = screen.getByRole('form', { name: 'Pre-deployment checklist' });
    await user.click(
      within(form).getByRole('checkbox', { name: 'Notify stakeholders' }),
    );
    await user.click(
      within(form).getByRole('checkbox', { name: 'Review change request' }),
    );
    await user.click(
      within(form).getByRole('button', {
        name: 'Review pre-deployment checklist',
      }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        /No changes: the cluster already matches/,
      ),
    ).toBeInTheDocument();
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
      action: 'checklist',
      input: {
        confirmations: ['review-change-request', 'notify-stakeholders'],
      },
    });
  });

  it('titles and describes every action as its definition does', async () => {
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () =>
        resolution({
          actions: RUNBOOK_ACTIONS.map(action => ({ action, allowed: true })),
        }),
      ),
    });
    renderTab(api);
    await screen.findByRole('button', { name: /^Scale/ });
    for (const action of RUNBOOK_ACTIONS) {
      const { title, description } = actionDefinition(action);
      const header = screen
        .getByText(title, { selector: 'h6' })
        .closest('[role="button"]') as HTMLElement;
      expect(within(header).getByText(description)).toBeInTheDocument();
    }
    expect(
      screen.getByRole('button', { name: /^Pause rollout/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^Resume rollout/ }),
    ).toBeInTheDocument();
  });

  it('reviews an action without inputs (pause rollout) straight to the dry run', async () => {
    const user = userEvent.setup();
    const api = fakeRunbookApi({
      getRunbook: jest.fn(async () =>
        resolution({ actions: [{ action: 'pause-rollout', allowed: true }] }),
      ),
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'pause-rollout',
        diff: [
          {
            kind: 'Deployment',
            name: 'media-upload',
            namespace: 'nexus-media',
            operation: 'update',
            changes: [{ path: 'spec.paused', before: undefined, after: true }],
          },
        ],
      })),
    });
    renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: /^Pause rollout/ }),
    );
    const form = screen.getByRole('form', { name: 'Pause rollout' });
    // Nothing to fill in but the optional reason.
    expect(within(form).getAllByRole('textbox')).toHaveLength(1);
    expect(within(form).getByRole('textbox', { name: 'Reason' })).toBeEnabled();
    await user.click(
      within(form).getByRole('button', { name: 'Review pause rollout' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: 'Pause rollout media-upload',
    });
    expect(await within(dialog).findByText('spec.paused')).toBeInTheDocument();
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
      action: 'pause-rollout',
      input: {},
    });
  });
});
