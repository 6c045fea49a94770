import { cardTitled, expect, test } from '../fixtures/test';

// The "Blue-green release" template, run from Create: deploy the idle colour, switch the
// Service to it and watch, decommission the old one. It ends with the Service selecting
// green, and the task's links lead to the runbook run.

const NAMESPACE = 'nexus-payments';
const SERVICE = 'payment-gateway';

test('the Blue-green release template ends with the Service selecting green', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  const image = `nexus-cos/${SERVICE}:3.0.0-e2e`;

  await page.goto('/create');
  await cardTitled(page, 'Blue-green release')
    .getByRole('button', { name: 'Choose' })
    .click();

  // Typing opens the picker; its options come once the runbook backend has answered.
  await page
    .getByRole('textbox', { name: 'Service', exact: true })
    .fill(SERVICE);
  await page.getByRole('option', { name: new RegExp(SERVICE) }).click();
  await page.getByRole('textbox', { name: 'Image' }).fill(image);
  await page
    .getByRole('spinbutton', { name: 'Monitor window (seconds)' })
    .fill('5');
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByRole('textbox', { name: 'Reason' })
    .fill('e2e: release 3.0.0');
  await page
    .getByRole('textbox', { name: 'Type the service name to confirm' })
    .fill(SERVICE);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs its three steps; its output links to the runs.
  const deployRun = page.getByRole('link', { name: 'Deploy run' });
  await expect(deployRun).toBeVisible({ timeout: 180_000 });
  await shot(page, 'blue-green-task');
  const href = await deployRun.getAttribute('href');
  expect(href).toMatch(/\/runbook\/runs\/[^/]+$/);

  // The Service selects green, and green's pods run the new image.
  const service = await sandbox.service(NAMESPACE, SERVICE);
  expect(service.spec.selector.version).toBe('green');
  const green = await sandbox.readyPods(
    NAMESPACE,
    `app=${SERVICE},version=green`,
  );
  expect(green.length).toBeGreaterThan(0);
  for (const pod of green) expect(pod.spec.containers[0].image).toBe(image);

  // The link opens the deploy run, which succeeded.
  const runId = decodeURIComponent(href!.split('/').pop()!);
  expect((await api.get(`/api/runbook/runs/${runId}`)).status).toBe(
    'succeeded',
  );
  await page.goto(href!);
  await expect(
    page.getByText('succeeded', { exact: true }).first(),
  ).toBeVisible();
});
