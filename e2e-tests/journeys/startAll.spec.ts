import { expect, test } from '../fixtures/test';

// Start all on a System: with the Notifications services stopped (set up through the
// fleet API), the System page's fleet card plans them in dependency order, starts them
// after the typed confirmation, and the sandbox has their pods ready again.

const SYSTEM = 'notifications';
const NAMESPACE = 'nexus-notifications';
const SERVICES = ['notification-dispatcher', 'email-sender', 'push-sender'];

test('start-all on a System brings every stopped service back', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  const replicas: Record<string, number> = {};
  for (const name of SERVICES) {
    replicas[name] = (await sandbox.deployment(NAMESPACE, name)).spec.replicas;
  }
  const stop = await api.post('/api/runbook/fleet/runs', {
    action: 'stop-all',
    scope: `system:default/${SYSTEM}`,
    confirm: SYSTEM,
    reason: 'e2e: set up a stopped system',
  });
  await expect
    .poll(
      async () => (await api.get(`/api/runbook/fleet/runs/${stop.id}`)).status,
      {
        timeout: 120_000,
      },
    )
    .toBe('succeeded');
  for (const name of SERVICES) {
    expect((await sandbox.deployment(NAMESPACE, name)).spec.replicas).toBe(0);
  }

  await page.goto(`/catalog/default/system/${SYSTEM}`);
  await page.getByRole('button', { name: 'Start all' }).click();
  const dialog = page.getByRole('dialog', { name: `Start all: ${SYSTEM}` });
  const plan = dialog.getByRole('table', { name: 'Plan' });
  for (const name of SERVICES) {
    await expect(plan.getByRole('row').filter({ hasText: name })).toContainText(
      'will start',
    );
  }
  const start = dialog.getByRole('button', {
    name: `Start ${SERVICES.length} services`,
  });
  await dialog.getByLabel('Reason').fill('e2e: bring notifications back');
  await dialog.getByLabel(`Type ${SYSTEM} to confirm`).fill(SYSTEM);
  await expect(start).toBeEnabled();
  await start.click();

  await expect(page.getByLabel('Fleet run status')).toContainText(
    `${SERVICES.length} succeeded`,
    { timeout: 150_000 },
  );
  await shot(page, 'start-all');

  for (const name of SERVICES) {
    await expect
      .poll(
        async () => (await sandbox.readyPods(NAMESPACE, `app=${name}`)).length,
        {
          timeout: 60_000,
        },
      )
      .toBe(replicas[name]);
  }
});
