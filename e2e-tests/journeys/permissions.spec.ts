import { IDENTITIES } from '../fixtures/identities';
import { expect, test } from '../fixtures/test';

// Someone from another team: Greta of Team Media opens a Team Commerce service. Its actions
// are shown but disabled, with the server's reason; forcing the run through the API with
// her token is refused with 403, changes nothing, and is audited as denied.

const SERVICE = 'transaction-ledger';
const ENTITY = `component:default/${SERVICE}`;

test("another team's service: actions disabled with the reason; a forced call is 403 and audited", async ({
  api,
  apiAs,
  pageAs,
  sandbox,
  shot,
}) => {
  const greta = await apiAs(IDENTITIES.owner);
  const runbook = await greta.get(
    `/api/runbook/entities/component/default/${SERVICE}/runbook`,
  );
  const scale = runbook.actions.find((a: any) => a.action === 'scale');
  expect(scale.allowed).toBe(false);
  expect(scale.reason).toBeTruthy();

  const page = await pageAs(IDENTITIES.owner);
  await page.goto(`/catalog/default/component/${SERVICE}/runbook`);
  const scaleAction = page.getByRole('button', { name: /^Scale/ });
  await expect(scaleAction).toContainText(`Not allowed: ${scale.reason}`);
  await scaleAction.click();
  const form = page.getByRole('form', { name: 'Scale' });
  await expect(
    form.getByRole('spinbutton', { name: 'Replicas' }),
  ).toBeDisabled();
  await expect(
    form.getByRole('button', { name: 'Review scale' }),
  ).toBeDisabled();
  await shot(page, 'not-allowed');

  // Her own team's service, for contrast: the same action is open to her.
  const own = await greta.get(
    '/api/runbook/entities/component/default/media-upload/runbook',
  );
  expect(own.actions.find((a: any) => a.action === 'scale').allowed).toBe(true);

  // Forced through the API with her token: 403, the Deployment untouched, audited.
  const replicas = (await sandbox.deployment('nexus-payments', SERVICE)).spec
    .replicas;
  const forced = await greta.request(
    'POST',
    `/api/runbook/entities/component/default/${SERVICE}/runs`,
    { action: 'scale', input: { replicas: replicas + 1 }, confirm: SERVICE },
    { 'Idempotency-Key': crypto.randomUUID() },
  );
  expect(forced.status).toBe(403);
  expect(
    (await sandbox.deployment('nexus-payments', SERVICE)).spec.replicas,
  ).toBe(replicas);
  const audit = await api.get(
    `/api/runbook/audit?entity=${encodeURIComponent(ENTITY)}&order=desc`,
  );
  expect(audit.items[0]).toMatchObject({
    actor: expect.stringContaining('greta'),
    action: 'scale',
  });
  expect(audit.items[0].outcome).toMatch(/denied|forbidden|refused/);
});
