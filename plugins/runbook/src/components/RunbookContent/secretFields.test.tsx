import { useState } from 'react';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { actionDefinition, RunRequest } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import {
  fakeRunbookApi,
  resolution,
  run,
  SERVICE_REF,
} from '../../testing/fakeRunbookApi';
import { ActionForm } from './actionForm';
import { ActionFormPanel } from './ActionFormPanel';
import { ConfirmRunDialog } from './ConfirmRunDialog';

/**
 * The checklist's form with its change request marked secret, as a definition would mark
 * one: the masking does not depend on any one action (rotate-secret's value uses it).
 */
const checklist = actionDefinition('checklist');
const form: ActionForm = {
  ...checklist,
  fields: checklist.fields.map(f =>
    f.name === 'changeRequest' ? { ...f, label: 'Token', secret: true } : f,
  ),
};

const SECRET = 'hunter2-"s3cret"';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The form panel and the dialog it opens, as the Runbook tab wires them. */
const FormAndDialog = () => {
  const [request, setRequest] = useState<RunRequest & { reason?: string }>();
  const runbook = resolution();
  return (
    <>
      <ActionFormPanel
        availability={{ action: 'checklist', allowed: true }}
        form={form}
        limits={runbook.limits}
        onReview={setRequest}
      />
      {request && (
        <ConfirmRunDialog
          runbook={runbook}
          form={form}
          request={request}
          idempotencyKey="key-1"
          onClose={() => setRequest(undefined)}
          onStarted={() => setRequest(undefined)}
        />
      )}
    </>
  );
};

async function reviewWithSecret(api: ReturnType<typeof fakeRunbookApi>) {
  const user = userEvent.setup();
  await renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <FormAndDialog />
    </TestApiProvider>,
  );
  await user.click(
    screen.getByRole('button', { name: /^Pre-deployment checklist/ }),
  );
  const panel = screen.getByRole('form', { name: 'Pre-deployment checklist' });
  const token = within(panel).getByLabelText('Token');
  await user.type(token, SECRET);
  await user.click(
    within(panel).getByRole('button', {
      name: 'Review pre-deployment checklist',
    }),
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'Pre-deployment checklist media-upload',
  });
  return { user, token, dialog };
}

describe('secret fields', () => {
  it('are masked inputs whose value reaches the engine but is never shown', async () => {
    const api = fakeRunbookApi({
      // An answer that echoes the secret, as the engine must not: the page masks it.
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'checklist',
        diff: [
          {
            kind: 'Secret',
            name: 'media-upload-token',
            namespace: 'nexus-media',
            operation: 'update',
            changes: [
              { path: 'data.token', before: 'b2xk', after: base64(SECRET) },
              {
                path: 'metadata.annotations.note',
                before: undefined,
                after: `token ${SECRET}`,
              },
            ],
          },
        ],
      })),
      startRun: jest.fn(async () => ({ run: run(), replayed: false })),
    });
    const { user, token, dialog } = await reviewWithSecret(api);

    expect(token).toHaveAttribute('type', 'password');
    expect(token).toHaveAttribute('autocomplete', 'off');
    expect(token).toHaveValue(SECRET);

    const changes = await within(dialog).findByRole('table', {
      name: 'Changes to Secret media-upload-token',
    });
    expect(within(changes).getByText('data.token')).toBeInTheDocument();
    expect(within(changes).getByText('"b2xk"')).toBeInTheDocument();
    expect(within(changes).getByText('"••••••"')).toBeInTheDocument();
    expect(within(changes).getByText('"token ••••••"')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('hunter2');
    expect(document.body.textContent).not.toContain(base64(SECRET));

    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const request = {
      action: 'checklist',
      input: { confirmations: [], changeRequest: SECRET },
    };
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, request);
    expect(api.startRun).toHaveBeenCalledWith(SERVICE_REF, request, {
      idempotencyKey: 'key-1',
    });
  });

  it('are masked in the error an answer carries', async () => {
    const api = fakeRunbookApi({
      dryRun: jest.fn(async () => {
        throw new Error(`token ${SECRET} was refused`);
      }),
    });
    const { dialog } = await reviewWithSecret(api);

    expect(
      (await within(dialog).findAllByText(/token •••••• was refused/))[0],
    ).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('hunter2');
  });
});
