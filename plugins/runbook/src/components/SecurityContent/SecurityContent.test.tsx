import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { runbookApiRef } from '../../api';
import { mediaUpload } from '../../testing/entities';
import { resolution, run, SERVICE_REF } from '../../testing/fakeRunbookApi';
import { securityApi } from '../../testing/security';
import { SecurityContent } from './SecurityContent';

const VALUE = 'n3w-API-key-"never-shown"';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function renderTab(api: ReturnType<typeof securityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[runbookApiRef, api]]}>
      <EntityProvider entity={mediaUpload}>
        <SecurityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);

describe('SecurityContent', () => {
  it('lists certificates with expiry from the certificate and the TLS check', async () => {
    await renderTab(securityApi());
    const table = await screen.findByRole('table', { name: 'Certificates' });
    expect(rowsOf(table)).toEqual([
      expect.stringMatching(
        /^media-uploadcert-manager, ClusterIssuer nexus-cos-caupload\.nexus-cos\.example.*9 day\(s\) leftwarningpassesRenew$/,
      ),
      expect.stringMatching(
        /^media-upload-legacy-tlsTLS Secret, not managed by cert-managerold\.nexus-cos\.example.*expired 11 day\(s\) agoexpiredtls\.key does not belong to the certificate$/,
      ),
    ]);
  });

  it('renews a certificate through the dry run and confirmation, then shows the run', async () => {
    const api = securityApi({
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'renew-certificate',
        diff: [
          {
            kind: 'Certificate',
            name: 'media-upload',
            namespace: 'nexus-media',
            operation: 'update',
            changes: [
              {
                path: 'status.conditions[3].reason',
                after: 'ManuallyTriggered',
              },
            ],
          },
        ],
      })),
      startRun: jest.fn(async () => ({
        run: run({
          action: 'renew-certificate',
          input: { certificate: 'media-upload' },
        }),
        replayed: false,
      })),
      getRun: jest.fn(async () =>
        run({
          action: 'renew-certificate',
          status: 'succeeded',
          finishedAt: '2026-11-26T10:01:00Z',
        }),
      ),
    });
    const user = userEvent.setup();
    await renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: 'Renew media-upload' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Renew certificate media-upload',
    });
    expect(
      await within(dialog).findByText('"ManuallyTriggered"'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.startRun).toHaveBeenCalledWith(
      SERVICE_REF,
      {
        action: 'renew-certificate',
        input: { certificate: 'media-upload' },
      },
      { idempotencyKey: expect.any(String) },
    );
    expect(await screen.findByText('renew-certificate')).toBeInTheDocument();
  });

  it('keeps Renew disabled with the reason when the caller may not renew', async () => {
    const api = securityApi({
      getRunbook: jest.fn(async () =>
        resolution({
          actions: [
            {
              action: 'renew-certificate',
              allowed: false,
              reason:
                'You may not run actions on component:default/media-upload (runbook.action.execute)',
            },
          ],
        }),
      ),
    });
    await renderTab(api);
    expect(
      await screen.findByRole('button', { name: 'Renew media-upload' }),
    ).toBeDisabled();
    expect(
      await screen.findByText(
        "Rotate secret is not offered by this service's runbook.",
      ),
    ).toBeInTheDocument();
  });

  it('shows who can do what, the findings and the last review, and records a review', async () => {
    const api = securityApi({
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'review-access',
        diff: [],
      })),
      startRun: jest.fn(async () => ({
        run: run({
          action: 'review-access',
          input: { note: 'Ticket SEC-9 removes it' },
        }),
        replayed: false,
      })),
      getRun: jest.fn(async () =>
        run({ action: 'review-access', status: 'succeeded' }),
      ),
    });
    const user = userEvent.setup();
    await renderTab(api);
    const findings = await screen.findByRole('list', {
      name: 'Access findings',
    });
    expect(
      within(findings)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'criticalServiceAccount nexus-media/default is bound to cluster-admin in every namespaceClusterRoleBinding/media-admin → ClusterRole/cluster-admin',
      'lowLast reviewed 94 days ago by user:default/carol; reviews are due every 90 daysreview of nexus-media',
    ]);
    expect(
      screen.getByText(
        /by user:default\/carol — “Checked after the media migration”/,
      ),
    ).toBeInTheDocument();
    expect(rowsOf(screen.getByRole('table', { name: 'Subjects' }))).toEqual([
      'ServiceAccount nexus-media/default* on * via ClusterRoleBinding/media-admin → ClusterRole/cluster-admin',
    ]);

    await user.click(screen.getByRole('button', { name: /^Review access/ }));
    const form = screen.getByRole('form', { name: 'Review access' });
    await user.type(
      within(form).getByLabelText(/Note/),
      'Ticket SEC-9 removes it',
    );
    await user.click(
      within(form).getByRole('button', { name: 'Review review access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Review access media-upload',
    });
    await user.click(
      await within(dialog).findByRole('button', { name: 'Run' }),
    );
    await waitFor(() =>
      expect(api.startRun).toHaveBeenCalledWith(
        SERVICE_REF,
        { action: 'review-access', input: { note: 'Ticket SEC-9 removes it' } },
        { idempotencyKey: expect.any(String) },
      ),
    );
  });

  it('rotates a secret with a masked value that the page never shows', async () => {
    const api = securityApi({
      getRunbook: jest.fn(async () =>
        resolution({ actions: [{ action: 'rotate-secret', allowed: true }] }),
      ),
      dryRun: jest.fn(async () => ({
        dryRun: true,
        action: 'rotate-secret',
        diff: [
          {
            kind: 'Secret',
            name: 'media-upload-secrets',
            namespace: 'nexus-media',
            operation: 'update',
            changes: [
              { path: 'data.API_KEY', before: '(hidden)', after: '(hidden)' },
            ],
          },
        ],
      })),
      startRun: jest.fn(async () => ({
        run: run({
          action: 'rotate-secret',
          input: {
            secret: 'media-upload-secrets',
            key: 'API_KEY',
            stagedValue: 'media-upload-secrets-rotation-staged-a1b2c3',
          },
        }),
        replayed: false,
      })),
      getRun: jest.fn(async () =>
        run({ action: 'rotate-secret', status: 'running' }),
      ),
    });
    const user = userEvent.setup();
    await renderTab(api);
    await user.click(
      await screen.findByRole('button', { name: /^Rotate secret/ }),
    );
    const form = screen.getByRole('form', { name: 'Rotate secret' });
    await user.type(
      within(form).getByLabelText(/Secret/),
      'media-upload-secrets',
    );
    await user.type(within(form).getByLabelText(/Key/), 'API_KEY');
    const value = within(form).getByLabelText('New value');
    await user.type(value, VALUE.replace(/[{[]/g, '$&$&'));
    expect(value).toHaveAttribute('type', 'password');
    // A supplied value leaves no length to choose.
    expect(
      within(form).queryByLabelText('Generated length'),
    ).not.toBeInTheDocument();
    await user.click(
      within(form).getByRole('button', { name: 'Review rotate secret' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Rotate secret media-upload',
    });
    const changes = await within(dialog).findByRole('table', {
      name: 'Changes to Secret media-upload-secrets',
    });
    expect(within(changes).getByText('data.API_KEY')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const request = {
      action: 'rotate-secret',
      input: { secret: 'media-upload-secrets', key: 'API_KEY', value: VALUE },
    };
    expect(api.dryRun).toHaveBeenCalledWith(SERVICE_REF, request);
    expect(api.startRun).toHaveBeenCalledWith(SERVICE_REF, request, {
      idempotencyKey: expect.any(String),
    });
    expect(await screen.findByText('rotate-secret')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('never-shown');
    expect(document.body.textContent).not.toContain(base64(VALUE));
  });

  it("shows each image's counts by severity, its scans and top findings, and the configuration findings", async () => {
    await renderTab(securityApi());
    const operator = await screen.findByLabelText(
      'Vulnerabilities of nexus-cos/media-upload:1.4.0 (trivy-operator)',
    );
    expect(operator.textContent).toBe(
      'CRITICAL 2HIGH 5MEDIUM 14LOW 31UNKNOWN 2',
    );
    expect(
      screen.getByLabelText(
        'Vulnerabilities of nexus-cos/media-upload:1.4.0 (upload)',
      ).textContent,
    ).toBe('CRITICAL 0HIGH 1MEDIUM 0LOW 0UNKNOWN 0');
    expect(screen.getByText(/uploaded from CI, scanned/)).toBeInTheDocument();
    const top = screen.getByRole('table', {
      name: 'Top findings of nexus-cos/media-upload:1.4.0 (trivy-operator)',
    });
    expect(rowsOf(top)).toEqual([
      'CVE-2024-3094xz: malicious code in distributed sourceliblzma55.6.0-0.25.6.1+really5.4.5-1CRITICAL',
    ]);
    expect(
      within(top).getByRole('link', { name: 'CVE-2024-3094' }),
    ).toHaveAttribute('href', 'https://avd.aquasec.com/nvd/cve-2024-3094');
    expect(
      rowsOf(
        await screen.findByRole('table', { name: 'Configuration findings' }),
      ),
    ).toEqual([
      'criticalDeployment/media-upload/media-uploadThe container runs privileged: it has every capability of the nodeprivilegedRemove securityContext.privileged, or set it to false',
    ]);
  });
});
