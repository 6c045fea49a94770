import { cardTitled, expect, test } from '../fixtures/test';

// A rolling update to an image whose pods never become ready: the run waits out its rollout
// timeout, rolls back, and the old image is what serves again.

const NAMESPACE = 'nexus-search';
const SERVICE = 'search-indexer';

test('a rolling update to a never-ready image ends rolled back, the old image serving', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  const oldImage = (await sandbox.deployment(NAMESPACE, SERVICE)).spec.template
    .spec.containers[0].image as string;
  const repository = oldImage.replace(/:[^:/]+$/, '');
  const broken = `${repository}:broken-e2e`;

  await page.goto(`/catalog/default/component/${SERVICE}/runbook`);
  await page.getByRole('button', { name: /^Rolling update/ }).click();
  const form = page.getByRole('form', { name: 'Rolling update' });
  await form.getByRole('textbox', { name: /Image/ }).fill(broken);
  await form.getByRole('button', { name: 'Review rolling update' }).click();

  const dialog = page.getByRole('dialog', {
    name: `Rolling update ${SERVICE}`,
  });
  const changes = dialog.getByRole('table', {
    name: `Changes to Deployment ${SERVICE}`,
  });
  await expect(changes).toContainText(oldImage);
  await expect(changes).toContainText(broken);
  const confirm = dialog.getByRole('textbox', {
    name: `Type ${SERVICE} to confirm`,
  });
  await confirm.fill(SERVICE);
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The rollout times out (20 s in the e2e config) and the engine rolls back.
  const current = cardTitled(page, 'Current run');
  await expect(current.getByText('rolled-back', { exact: true })).toBeVisible({
    timeout: 150_000,
  });
  await shot(page, 'rolled-back');

  const runs = await api.get(
    `/api/runbook/entities/component/default/${SERVICE}/runs`,
  );
  const run = (runs.items ?? runs).find((r: any) => r.action === 'set-image');
  expect(run.status).toBe('rolled-back');

  // The old image serves: the Deployment names it, and every ready pod runs it.
  expect(
    (await sandbox.deployment(NAMESPACE, SERVICE)).spec.template.spec
      .containers[0].image,
  ).toBe(oldImage);
  await expect
    .poll(
      async () => {
        const pods = await sandbox.readyPods(NAMESPACE, `app=${SERVICE}`);
        return pods.length > 0 &&
          pods.every((p: any) => p.spec.containers[0].image === oldImage)
          ? 'old image serving'
          : pods.map((p: any) => p.spec.containers[0].image).join(',');
      },
      { timeout: 60_000 },
    )
    .toBe('old image serving');
});
