import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
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
import { approvalsRouteRef, runRouteRef } from '../../routes';
import { approval, awaitingRun, yearEndFreeze } from '../../testing/approvals';
import { mediaUpload } from '../../testing/entities';
import { incident } from '../../testing/incidents';
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
    mountedRoutes?: Record<
      string,
      typeof runRouteRef | typeof approvalsRouteRef | typeof entityRouteRef
    >;
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

  describe('change freezes and approvals', () => {
    const P1 = '0b7e4c1a-6f2d-4a8b-9c3e-1d5f7a9b2c4e';
    const P0 = '5a9d2e7f-1c3b-4e6a-8d0f-2b4c6e8a0d1f';
    const frozenApi = (
      incidents = [
        incident({ id: P1, severity: 'P1', title: 'Uploads failing' }),
        incident({ id: 'inc-p2', severity: 'P2', title: 'Slow thumbnails' }),
        incident({ id: P0, severity: 'P0', title: 'Uploads down' }),
      ],
    ) =>
      fakeRunbookApi({
        getRunbook: jest.fn(async () =>
          resolution({
            freeze: yearEndFreeze,
            actions: [
              { action: 'scale', allowed: true },
              { action: 'diagnostics', allowed: true },
            ],
          }),
        ),
        dryRun: jest.fn(async () => diff),
        listIncidents: jest.fn(async () => ({ items: incidents })),
        startRun: jest.fn(async () => ({
          run: awaitingRun(
            { id: 'run-emergency-2', action: 'scale' },
            {
              rule: 'emergency',
              emergency: { incidentId: P1, freeze: 'year-end' },
            },
          ),
          replayed: false,
        })),
        getRun: jest.fn(async () =>
          awaitingRun(
            { id: 'run-emergency-2' },
            {
              rule: 'emergency',
              emergency: { incidentId: P1, freeze: 'year-end' },
            },
          ),
        ),
        getIncident: jest.fn(async () =>
          incident({ id: P1, severity: 'P1', title: 'Uploads failing' }),
        ),
      });
    const until = DateTime.fromISO(yearEndFreeze.until).toLocaleString(
      DateTime.DATETIME_MED,
    );

    it('says the freeze, and sends a change with the emergency incident the user picks, for approval', async () => {
      const user = userEvent.setup();
      const api = frozenApi();
      renderTab(api, {
        mountedRoutes: {
          '/runbook/approvals': approvalsRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      });
      const notice = await screen.findByRole('status', {
        name: `Change freeze "year-end" until ${until} (payments peak)`,
      });
      expect(notice).toHaveTextContent(
        "A change to this service now needs an emergency incident (an open P0 or P1 of it, chosen when you confirm) and another person's approval.",
      );

      await openScale(user);
      const dialog = await reviewScaleTo4(user);
      expect(
        within(dialog).getByRole('status', {
          name: `Change freeze "year-end" until ${until} (payments peak)`,
        }),
      ).toHaveTextContent(
        "Only an emergency change may run now: it names the open P0 or P1 incident of media-upload it answers, and waits for another person's approval before it runs.",
      );
      const select = await within(dialog).findByRole('combobox', {
        name: /Emergency incident/,
      });
      expect(
        within(select)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual([
        'Choose…',
        'P1 Uploads failing (detected)',
        'P0 Uploads down (detected)',
      ]);
      expect(api.listIncidents).toHaveBeenCalledWith({
        entity: SERVICE_REF,
        status: 'open',
      });
      const request = within(dialog).getByRole('button', {
        name: 'Request approval',
      });
      expect(request).toBeDisabled();
      await user.selectOptions(select, P1);
      expect(request).toBeEnabled();
      await user.click(request);

      await waitFor(() =>
        expect(api.startRun).toHaveBeenCalledWith(
          SERVICE_REF,
          {
            action: 'scale',
            input: { replicas: 4 },
            emergencyIncident: P1,
          },
          { idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        ),
      );
      // The dry run is the same as outside a freeze: it changes nothing.
      expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, {
        action: 'scale',
        input: { replicas: 4 },
      });
      // No spinner forever: the current run says whom it awaits.
      expect(
        await screen.findByText(
          /This run is awaiting approval by members of group:default\/platform-lead \(rule "emergency"\)/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByLabelText('Run in progress')).toBeNull();
      expect(
        screen.getByRole('link', { name: 'Open the Approvals page' }),
      ).toHaveAttribute('href', '/runbook/approvals');
      expect(
        await screen.findByRole('link', { name: 'P1 Uploads failing' }),
      ).toHaveAttribute(
        'href',
        `/catalog/default/component/media-upload/incidents?incident=${P1}`,
      );
    });

    it('says when no open P0 or P1 incident allows an emergency change, and offers to declare one', async () => {
      const user = userEvent.setup();
      const api = frozenApi([
        incident({ id: 'inc-p2', severity: 'P2', title: 'Slow thumbnails' }),
      ]);
      renderTab(api);
      await openScale(user);
      const dialog = await reviewScaleTo4(user);
      expect(
        await within(dialog).findByText(
          'No open P0 or P1 incident affects media-upload, so no change can run during the freeze. If this is an emergency, declare the incident first.',
        ),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByRole('button', { name: 'Declare incident' }),
      ).toBeInTheDocument();
      expect(
        within(dialog).queryByRole('combobox', { name: /Emergency incident/ }),
      ).toBeNull();
      expect(
        within(dialog).getByRole('button', { name: 'Request approval' }),
      ).toBeDisabled();
    });

    it('lets reads run during a freeze without an incident', async () => {
      const user = userEvent.setup();
      const api = frozenApi();
      api.dryRun.mockResolvedValue({
        dryRun: true,
        action: 'diagnostics',
        diff: [],
      });
      renderTab(api);
      await user.click(
        await screen.findByRole('button', { name: /^Run diagnostics/ }),
      );
      const form = screen.getByRole('form', { name: 'Run diagnostics' });
      await user.click(
        within(form).getByRole('button', { name: 'Review run diagnostics' }),
      );
      const dialog = await screen.findByRole('dialog');
      await within(dialog).findByText(/No changes/);
      expect(within(dialog).getByRole('button', { name: 'Run' })).toBeEnabled();
      expect(within(dialog).queryByText(/Emergency incident/)).toBeNull();
      expect(api.listIncidents).not.toHaveBeenCalled();
    });

    it('links the change that awaits approval and follows it as the current run', async () => {
      const api = fakeRunbookApi({
        getRunbook: jest.fn(async () =>
          resolution({ awaitingRunId: 'run-wait-1' }),
        ),
        getRun: jest.fn(async () => awaitingRun({}, approval({ required: 2 }))),
      });
      renderTab(api, {
        mountedRoutes: {
          '/runbook/runs/:id': runRouteRef,
          '/runbook/approvals': approvalsRouteRef,
        },
      });
      const notice = await screen.findByText(/A change awaits approval/);
      expect(notice.closest('[role="status"]')).toHaveTextContent(
        'A change awaits approval (run run-wait-1): it must be decided or withdrawn before another can be requested. Open the Approvals page',
      );
      expect(
        within(notice.closest('[role="status"]') as HTMLElement).getByRole(
          'link',
          { name: 'run-wait-1' },
        ),
      ).toHaveAttribute('href', '/runbook/runs/run-wait-1');
      expect(
        await screen.findByText(/This run is awaiting approval by/),
      ).toHaveTextContent('(2 more needed; rule "production scale")');
      expect(api.getRun).toHaveBeenCalledWith('run-wait-1');
      expect(
        screen.getByRole('button', { name: 'Withdraw request' }),
      ).toBeInTheDocument();
    });
  });
});
