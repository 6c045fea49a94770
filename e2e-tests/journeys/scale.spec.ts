import { cardTitled, expect, test } from '../fixtures/test';

// Scale from a service's Runbook tab, as the platform lead: the dry-run diff, the typed
// confirmation of a production service, live progress to success; then the sandbox has the
// new number of ready pods, the Audit log page lists the run with the signed-in user, and
// the audit chain verifies.

const NAMESPACE = 'nexus-media';
const SERVICE = 'media-transcoder';

test('scale from the Runbook tab: diff, confirmation, progress, pods, audit', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  const before = (await sandbox.deployment(NAMESPACE, SERVICE)).spec.replicas;
  const target = before + 1;

  await page.goto(`/catalog/default/component/${SERVICE}/runbook`);
  await page.getByRole('button', { name: /^Scale/ }).click();
  const form = page.getByRole('form', { name: 'Scale' });
  await form.getByRole('spinbutton', { name: /Replicas/ }).fill(String(target));
  await form.getByRole('button', { name: 'Review scale' }).click();

  // The dry run: spec.replicas from the current count to the new one.
  const dialog = page.getByRole('dialog', { name: `Scale ${SERVICE}` });
  const changes = dialog.getByRole('table', {
    name: `Changes to Deployment ${SERVICE}`,
  });
  const replicasRow = changes.getByRole('row', { name: /spec\.replicas/ });
  await expect(replicasRow).toContainText(String(before));
  await expect(replicasRow).toContainText(String(target));

  // A production service: Run stays disabled until its name is typed.
  const run = dialog.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeDisabled();
  const confirm = dialog.getByRole('textbox', {
    name: `Type ${SERVICE} to confirm`,
  });
  await confirm.fill(`${SERVICE}x`);
  await expect(run).toBeDisabled();
  await confirm.fill(SERVICE);
  await shot(page, 'scale-dry-run');
  await run.click();
  await expect(dialog).toBeHidden();

  // Live progress to success.
  const current = cardTitled(page, 'Current run');
  await expect(current.getByText('succeeded', { exact: true })).toBeVisible({
    timeout: 120_000,
  });
  await shot(page, 'scale-succeeded');

  // The cluster: the new number of ready pods.
  await expect
    .poll(
      async () => (await sandbox.readyPods(NAMESPACE, `app=${SERVICE}`)).length,
      { timeout: 60_000 },
    )
    .toBe(target);
  expect((await sandbox.deployment(NAMESPACE, SERVICE)).spec.replicas).toBe(
    target,
  );

  // The run as the API has it: succeeded, started by the guest.
  const history = await api.get(
    `/api/runbook/entities/component/default/${SERVICE}/runs`,
  );
  const runs = history.items ?? history;
  const scaleRun = runs.find((r: any) => r.action === 'scale');
  expect(scaleRun).toMatchObject({ status: 'succeeded' });

  // The Audit log page lists it with the signed-in user, and the chain verifies.
  await page.goto('/runbook/audit');
  const row = page
    .getByRole('row')
    .filter({ hasText: SERVICE })
    .filter({ has: page.getByTitle(scaleRun.id) })
    .first();
  await expect(row).toContainText('guest');
  await expect(row).toContainText('scale');
  await expect(page.getByText(/^Chain verified: \d+ records/)).toBeVisible();
  const verify = await api.get('/api/runbook/audit/verify');
  expect(verify.ok).toBe(true);
  await shot(page, 'audit-log');
});
