import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FleetRun, Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import {
  approvalsApi,
  awaitingFleet,
  awaitingRun,
  EMERGENCY_INCIDENT_ID,
  emergencyRun,
  responseError,
  scaleDiff,
} from '../../testing/approvals';
import { pinDate } from '../../testing/clock';
import { fakeRunbookApi } from '../../testing/fakeRunbookApi';
import { ApprovalsPage } from './ApprovalsPage';

// Expiry countdowns and "… ago" are read against a frozen Date, not the wall clock.
pinDate();

const renderPage = (api: ReturnType<typeof fakeRunbookApi>) =>
  renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <ApprovalsPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/runbook/runs/:id': runRouteRef,
      },
    },
  );

/** The metadata row of a card, e.g. "Rule" → "production scale". */
const fact = (card: HTMLElement, name: string) =>
  within(card).getByText(name, { selector: 'td' }).closest('tr')!;

async function openDecision(
  user: ReturnType<typeof userEvent.setup>,
  card: HTMLElement,
  verb: 'Approve' | 'Reject',
) {
  await user.click(within(card).getByRole('button', { name: verb }));
  return screen.findByRole('dialog');
}

describe('ApprovalsPage', () => {
  it('shows each change waiting for the user with its requester, reason, rule, approvers, expiry and diff', async () => {
    const api = approvalsApi({
      decide: [awaitingRun(), emergencyRun()],
    });
    await renderPage(api);

    const scale = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    expect(
      within(scale).getByRole('link', { name: 'media-upload' }),
    ).toHaveAttribute('href', '/catalog/default/component/media-upload');
    expect(fact(scale, 'Requester')).toHaveTextContent('alice');
    expect(fact(scale, 'Reason')).toHaveTextContent('capacity for the sale');
    expect(fact(scale, 'Rule')).toHaveTextContent('production scale');
    expect(fact(scale, 'Approvals')).toHaveTextContent('0 of 1');
    expect(fact(scale, 'Approvers')).toHaveTextContent(
      'members of group:default/platform-lead',
    );
    expect(fact(scale, 'Expires')).toHaveTextContent('expires in 30m 0s');
    expect(fact(scale, 'Started by')).toHaveTextContent('a person');
    expect(
      within(scale).getByRole('link', { name: 'run-wait-1' }),
    ).toHaveAttribute('href', '/runbook/runs/run-wait-1');
    const diff = within(scale).getByRole('table', {
      name: 'Changes to Deployment media-upload',
    });
    expect(
      within(diff).getByRole('row', { name: 'spec.replicas 3 4' }),
    ).toBeInTheDocument();
    expect(
      within(scale).getByRole('region', { name: 'Diff to approve' }),
    ).toHaveTextContent(
      /^What it would change \(dry run taken 5 minutes ago\)/,
    );

    const emergency = screen.getByRole('article', {
      name: 'Rollout restart on checkout',
    });
    expect(fact(emergency, 'Rule')).toHaveTextContent('emergency');
    expect(fact(emergency, 'Approvers')).toHaveTextContent(
      'members of group:default/team-payments or members of group:default/platform-lead or the on-call of group:default/team-payments',
    );
    expect(fact(emergency, 'Emergency')).toHaveTextContent(
      'during the change freeze "year-end", answering P1 Checkout errors',
    );
    expect(
      await within(emergency).findByRole('link', {
        name: 'P1 Checkout errors',
      }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/component/checkout/incidents?incident=${EMERGENCY_INCIDENT_ID}`,
    );
    expect(api.getIncident).toHaveBeenCalledWith(EMERGENCY_INCIDENT_ID);
    expect(api.listApprovals).toHaveBeenCalledWith();
    expect(api.listApprovals).toHaveBeenCalledWith({ mine: true });
  });

  it('names an agent or a template as what started the change', async () => {
    await renderPage(
      approvalsApi({
        decide: [
          awaitingRun({}, { rule: 'changes by agents', initiator: 'agent' }),
        ],
      }),
    );
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    expect(fact(card, 'Started by')).toHaveTextContent(
      'an agent (MCP tool call)',
    );
  });

  it('approves with the comment the user gives, checked as they type, and says it runs now', async () => {
    const user = userEvent.setup();
    let waiting: Run[] = [awaitingRun()];
    const api = approvalsApi(
      {},
      {
        listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
          items: options?.mine ? [] : waiting,
          fleet: [],
        })),
        approveRun: jest.fn(async (id: string, comment: string) => {
          waiting = [];
          return awaitingRun({
            id,
            status: 'pending',
            approval: {
              ...awaitingRun().approval!,
              approvals: [
                {
                  actor: 'user:default/zoe',
                  at: new Date().toISOString(),
                  comment,
                },
              ],
            },
          });
        }),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    const dialog = await openDecision(user, card, 'Approve');
    expect(dialog).toHaveTextContent('Approve scale on media-upload');
    const approve = within(dialog).getByRole('button', { name: 'Approve' });
    const comment = within(dialog).getByRole('textbox', { name: 'Comment' });
    expect(approve).toBeDisabled();
    expect(
      within(dialog).getByText('Required: why you approve (0/2000)'),
    ).toBeInTheDocument();

    await user.type(comment, '   ');
    expect(
      within(dialog).getByText('comment must say why'),
    ).toBeInTheDocument();
    expect(approve).toBeDisabled();

    fireEvent.change(comment, { target: { value: 'x'.repeat(2001) } });
    expect(
      within(dialog).getByText('comment must be at most 2000 characters'),
    ).toBeInTheDocument();
    expect(approve).toBeDisabled();

    await user.clear(comment);
    await user.type(comment, '  checked the diff with the sale plan ');
    await user.click(approve);

    expect(api.approveRun).toHaveBeenCalledWith(
      'run-wait-1',
      'checked the diff with the sale plan',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      await screen.findByText(/Approved Scale on media-upload: it runs now\./),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/^Nothing waits for your decision\./),
    ).toBeInTheDocument();
  });

  it('says how many more approvals a change needs after the user approved it', async () => {
    const user = userEvent.setup();
    const api = approvalsApi(
      { decide: [awaitingRun({}, { required: 2 })] },
      {
        approveRun: jest.fn(async () =>
          awaitingRun(
            {},
            {
              required: 2,
              approvals: [
                {
                  actor: 'user:default/zoe',
                  at: new Date().toISOString(),
                  comment: 'ok',
                },
              ],
            },
          ),
        ),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    expect(fact(card, 'Approvals')).toHaveTextContent('0 of 2');
    const dialog = await openDecision(user, card, 'Approve');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Comment' }),
      'ok',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await screen.findByText(
        /Approved Scale on media-upload: 1 more approval needed before it runs\./,
      ),
    ).toBeInTheDocument();
  });

  it("keeps a change whose live state moved on screen with the server's words and the new diff", async () => {
    const user = userEvent.setup();
    let current = awaitingRun();
    const message =
      'The change would now differ from the diff you reviewed (the live state changed); review the new diff and approve again';
    const api = approvalsApi(
      {},
      {
        listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
          items: options?.mine ? [] : [current],
          fleet: [],
        })),
        approveRun: jest.fn(async () => {
          // The engine keeps the new diff with the run, then refuses the approval.
          current = awaitingRun({}, { diff: scaleDiff(5, 4) });
          throw await responseError(409, 'Conflict', 'ConflictError', message);
        }),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    const dialog = await openDecision(user, card, 'Approve');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Comment' }),
      'checked the diff',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    // The comment stays for another try.
    expect(
      within(dialog).getByRole('textbox', { name: 'Comment' }),
    ).toHaveValue('checked the diff');

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const reloaded = screen.getByRole('article', {
      name: 'Scale on media-upload',
    });
    expect(within(reloaded).getByText(message)).toBeInTheDocument();
    const diff = within(reloaded).getByRole('table', {
      name: 'Changes to Deployment media-upload',
    });
    expect(
      await within(diff).findByRole('row', { name: 'spec.replicas 5 4' }),
    ).toBeInTheDocument();
    expect(api.listApprovals.mock.calls.filter(c => !c[0]?.mine).length).toBe(
      2,
    );
  });

  it('rejects with a comment', async () => {
    const user = userEvent.setup();
    const api = approvalsApi(
      { decide: [awaitingRun()] },
      {
        rejectRun: jest.fn(async (id: string, comment: string) =>
          awaitingRun({
            id,
            status: 'rejected',
            error: `Rejected by user:default/zoe: ${comment}`,
          }),
        ),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    const dialog = await openDecision(user, card, 'Reject');
    expect(dialog).toHaveTextContent(
      'The run ends rejected, with your comment as the reason; nothing changes.',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Comment' }),
      'not during the sale',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(api.rejectRun).toHaveBeenCalledWith(
      'run-wait-1',
      'not during the sale',
    );
    expect(api.approveRun).not.toHaveBeenCalled();
    expect(
      await screen.findByText(/Rejected Scale on media-upload\./),
    ).toBeInTheDocument();
  });

  it("lists the user's own waiting requests and withdraws one", async () => {
    const user = userEvent.setup();
    let mine: Run[] = [awaitingRun()];
    const api = approvalsApi(
      {},
      {
        listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
          items: options?.mine ? mine : [],
          fleet: [],
        })),
        cancelRun: jest.fn(async (id: string) => {
          mine = [];
          return awaitingRun({
            id,
            status: 'cancelled',
            error: 'Withdrawn by user:default/alice while awaiting approval',
          });
        }),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    expect(fact(card, 'Approvers')).toHaveTextContent(
      'members of group:default/platform-lead',
    );
    expect(within(card).queryByRole('button', { name: 'Approve' })).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Withdraw' }));
    expect(api.cancelRun).toHaveBeenCalledWith('run-wait-1');
    expect(
      await screen.findByText(/Withdrew Scale on media-upload\./),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/^You have no changes awaiting approval\./),
    ).toBeInTheDocument();
  });

  it("shows the server's refusal of a withdrawal on the request", async () => {
    const user = userEvent.setup();
    const api = approvalsApi(
      { mine: [awaitingRun()] },
      {
        cancelRun: jest.fn(async () => {
          throw await responseError(
            409,
            'Conflict',
            'ConflictError',
            'Run run-wait-1 is no longer awaiting approval',
          );
        }),
      },
    );
    await renderPage(api);
    const card = await screen.findByRole('article', {
      name: 'Scale on media-upload',
    });
    await user.click(within(card).getByRole('button', { name: 'Withdraw' }));
    expect(
      await within(card).findByText(
        'Run run-wait-1 is no longer awaiting approval',
      ),
    ).toBeInTheDocument();
  });

  it('says what each empty list means', async () => {
    await renderPage(approvalsApi());
    expect(
      await screen.findByText(
        'Nothing waits for your decision. Changes that an approval rule holds for a person you can stand in for (your groups, or the on-call you are) appear here with their diff.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'You have no changes awaiting approval. A change that an approval rule covers, or an emergency change during a freeze, waits here until another person decides.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a skeleton while loading and the backend error in its section', async () => {
    await renderPage(
      fakeRunbookApi({
        listApprovals: jest.fn((options?: { mine?: boolean }) =>
          options?.mine
            ? Promise.reject(new Error('runbook.action.read denied'))
            : new Promise(() => {}),
        ),
      }),
    );
    expect(
      await screen.findByLabelText('Loading Waiting for your decision'),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/runbook.action.read denied/))[0],
    ).toBeInTheDocument();
  });

  describe('fleet runs', () => {
    /** The plan's rows as [step, service, status, why]. */
    const planRows = (card: HTMLElement) =>
      within(within(card).getByRole('table', { name: 'Plan' }))
        .getAllByRole('row')
        .slice(1)
        .map(row =>
          within(row)
            .getAllByRole('cell')
            .map(cell => cell.textContent),
        );

    it('shows a stop-all waiting for the user with who asked, why, who may decide, the expiry and the plan', async () => {
      await renderPage(approvalsApi({ decideFleet: [awaitingFleet()] }));
      const card = await screen.findByRole('article', {
        name: 'Stop all on media',
      });
      expect(within(card).getByRole('link', { name: 'media' })).toHaveAttribute(
        'href',
        '/catalog/default/system/media',
      );
      expect(fact(card, 'Requester')).toHaveTextContent('alice');
      expect(fact(card, 'Reason')).toHaveTextContent('storage migration');
      expect(fact(card, 'Rule')).toHaveTextContent('stop-all in production');
      expect(fact(card, 'Approvals')).toHaveTextContent('0 of 1');
      expect(fact(card, 'Approvers')).toHaveTextContent(
        'members of group:default/platform-lead or the on-call of group:default/team-media',
      );
      expect(fact(card, 'Expires')).toHaveTextContent('expires in 30m 0s');
      expect(fact(card, 'Grace period')).toHaveTextContent('60 s');
      expect(fact(card, 'Fleet run')).toHaveTextContent('fleet-wait-1');
      expect(
        within(card).getByRole('region', { name: 'Plan to approve' }),
      ).toHaveTextContent(/^What it would do: stop 3 services, in this order/);
      expect(planRows(card)).toEqual([
        ['1', 'media-transcode', 'will stop', ''],
        [
          '2',
          'media-thumbnails',
          'skipped',
          'already stopped (media-thumbnails: 0 replicas)',
        ],
        ['2', 'media-upload', 'will stop', ''],
        ['3', 'media-storage', 'will stop', ''],
      ]);
      expect(
        within(card).getByRole('button', { name: 'Approve' }),
      ).toBeInTheDocument();
      expect(
        screen.queryByText(/^Nothing waits for your decision\./),
      ).toBeNull();
    });

    it('approves a fleet run with a comment and says it runs now', async () => {
      const user = userEvent.setup();
      let waiting: FleetRun[] = [awaitingFleet()];
      const api = approvalsApi(
        {},
        {
          listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
            items: [],
            fleet: options?.mine ? [] : waiting,
          })),
          approveFleetRun: jest.fn(async (id: string) => {
            waiting = [];
            return awaitingFleet({ id, status: 'pending' });
          }),
        },
      );
      await renderPage(api);
      const card = await screen.findByRole('article', {
        name: 'Stop all on media',
      });
      const dialog = await openDecision(user, card, 'Approve');
      expect(dialog).toHaveTextContent('Approve stop all on media');
      expect(dialog).toHaveTextContent(
        'its services are changed as you, so you must be allowed to change every one of them',
      );
      const approve = within(dialog).getByRole('button', { name: 'Approve' });
      expect(approve).toBeDisabled();
      await user.type(
        within(dialog).getByRole('textbox', { name: 'Comment' }),
        ' maintenance window agreed ',
      );
      await user.click(approve);
      expect(api.approveFleetRun).toHaveBeenCalledWith(
        'fleet-wait-1',
        'maintenance window agreed',
      );
      expect(api.approveRun).not.toHaveBeenCalled();
      expect(
        await screen.findByText(
          "Approved stop all on media (fleet run fleet-wait-1): it runs now; follow it on its System's Fleet card.",
        ),
      ).toBeInTheDocument();
      expect(
        await screen.findByText(/^Nothing waits for your decision\./),
      ).toBeInTheDocument();
    });

    it('rejects a fleet run only with a comment saying why', async () => {
      const user = userEvent.setup();
      const api = approvalsApi(
        { decideFleet: [awaitingFleet()] },
        {
          rejectFleetRun: jest.fn(async (id: string, comment: string) =>
            awaitingFleet(
              { id, status: 'rejected' },
              {
                rejection: {
                  actor: 'user:default/zoe',
                  at: new Date().toISOString(),
                  comment,
                },
              },
            ),
          ),
        },
      );
      await renderPage(api);
      const card = await screen.findByRole('article', {
        name: 'Stop all on media',
      });
      const dialog = await openDecision(user, card, 'Reject');
      expect(dialog).toHaveTextContent('Reject stop all on media');
      expect(dialog).toHaveTextContent('no service changes');
      const reject = within(dialog).getByRole('button', { name: 'Reject' });
      const comment = within(dialog).getByRole('textbox', { name: 'Comment' });
      await user.type(comment, '   ');
      expect(
        within(dialog).getByText('comment must say why'),
      ).toBeInTheDocument();
      expect(reject).toBeDisabled();
      await user.clear(comment);
      await user.type(comment, 'not during the sale');
      await user.click(reject);
      expect(api.rejectFleetRun).toHaveBeenCalledWith(
        'fleet-wait-1',
        'not during the sale',
      );
      expect(
        await screen.findByText(
          'Rejected stop all on media (fleet run fleet-wait-1).',
        ),
      ).toBeInTheDocument();
    });

    it("keeps the dialog and shows the server's refusal when the approver may not change every service", async () => {
      const user = userEvent.setup();
      const message =
        'user:default/zoe may not run stop-all on component:default/media-storage: runbook.action.execute is denied';
      const api = approvalsApi(
        { decideFleet: [awaitingFleet()] },
        {
          approveFleetRun: jest.fn(async () => {
            throw await responseError(
              403,
              'Forbidden',
              'NotAllowedError',
              message,
            );
          }),
        },
      );
      await renderPage(api);
      const card = await screen.findByRole('article', {
        name: 'Stop all on media',
      });
      const dialog = await openDecision(user, card, 'Approve');
      await user.type(
        within(dialog).getByRole('textbox', { name: 'Comment' }),
        'ok',
      );
      await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        message,
      );
      expect(
        within(dialog).getByRole('textbox', { name: 'Comment' }),
      ).toHaveValue('ok');
      expect(
        await within(card).findByText(message, { selector: 'div' }),
      ).toBeInTheDocument();
    });

    it("lists the user's own waiting fleet run and withdraws it", async () => {
      const user = userEvent.setup();
      let mine: FleetRun[] = [awaitingFleet()];
      const api = approvalsApi(
        {},
        {
          listApprovals: jest.fn(async (options?: { mine?: boolean }) => ({
            items: [],
            fleet: options?.mine ? mine : [],
          })),
          cancelFleetRun: jest.fn(async (id: string) => {
            mine = [];
            return awaitingFleet({ id, status: 'cancelled' });
          }),
        },
      );
      await renderPage(api);
      const card = await screen.findByRole('article', {
        name: 'Stop all on media',
      });
      expect(
        within(card).queryByRole('button', { name: 'Approve' }),
      ).toBeNull();
      await user.click(within(card).getByRole('button', { name: 'Withdraw' }));
      expect(api.cancelFleetRun).toHaveBeenCalledWith('fleet-wait-1');
      expect(
        await screen.findByText(
          'Withdrew stop all on media (fleet run fleet-wait-1).',
        ),
      ).toBeInTheDocument();
      expect(
        await screen.findByText(/^You have no changes awaiting approval\./),
      ).toBeInTheDocument();
    });
  });
});
