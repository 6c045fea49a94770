import { expect, test } from '../fixtures/test';

// An incident, start to end: an error spike injected through the sandbox's fault API turns
// the service's health degraded with the High Error Rate checklist; a P1 declared from the
// Incidents card appears with its respond-by countdown; it is acknowledged, moved through
// the phases and gets a post-mortem, which the API then has.

const NAMESPACE = 'nexus-search';
const SERVICE = 'search-api';
const TITLE = 'e2e: search answers 500 for a third of queries';

test.afterEach(async ({ sandbox }) => {
  await sandbox.clearFaults(SERVICE);
});

test('error spike → degraded with checklist → P1 declared, acknowledged, resolved, post-mortem', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  await sandbox.addFault({
    kind: 'error-spike',
    service: SERVICE,
    namespace: NAMESPACE,
    rate: 0.4,
  });

  // The health card turns degraded (Prometheus has to see the errors first).
  await page.goto(`/catalog/default/component/${SERVICE}`);
  await expect(page.getByText('degraded', { exact: true })).toBeVisible({
    timeout: 120_000,
  });
  const checklist = page.getByRole('list', {
    name: 'High Error Rate checklist',
  });
  await expect(checklist.getByRole('listitem').first()).toBeVisible();
  const health = await api.get(
    `/api/runbook/entities/component/default/${SERVICE}/health`,
  );
  expect(health.status).toBe('degraded');
  await shot(page, 'health-degraded');

  // Declare a P1 from the health card; it is listed with its respond-by countdown.
  await page.getByRole('button', { name: 'Declare incident (P1)' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: /^P1/ })).toBeChecked();
  await dialog.getByLabel(/^Title/).fill(TITLE);
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(dialog).toBeHidden();
  const listed = page
    .getByRole('table', { name: 'Incidents' })
    .getByRole('row')
    .filter({ hasText: TITLE });
  await expect(listed).toContainText(/respond within \d/);
  await shot(page, 'incident-declared');
  const declared = (
    await api.get(
      `/api/runbook/incidents?entity=${encodeURIComponent(
        `component:default/${SERVICE}`,
      )}`,
    )
  ).items.find((i: any) => i.title === TITLE);
  expect(declared).toMatchObject({ severity: 'P1', status: 'detected' });

  // The Incidents tab: acknowledge, then through the phases to the post-mortem.
  await page.goto(`/catalog/default/component/${SERVICE}/incidents`);
  await page.getByRole('button', { name: TITLE }).click();
  const detail = page.getByRole('region', { name: `Incident ${declared.id}` });
  await expect(detail.getByText(/Phase: detected/)).toBeVisible();
  await detail.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(detail.getByText(/Phase: assessing/)).toBeVisible();
  await expect(detail).toContainText(/acknowledged .* by user:default\/guest/);
  await detail.getByRole('button', { name: 'Move to responding' }).click();
  await expect(detail.getByText(/Phase: responding/)).toBeVisible();
  await detail.getByRole('button', { name: 'Move to resolved' }).click();
  await expect(detail.getByText(/Phase: resolved/)).toBeVisible();

  const postMortem = detail.getByRole('form', { name: 'Post-mortem' });
  await postMortem
    .getByLabel(/^Root cause/)
    .fill('A bad index shard answered 500');
  await postMortem.getByRole('button', { name: 'Add action item' }).click();
  const item = postMortem.getByRole('group', { name: 'Action item 1' });
  await item.getByLabel(/^Description/).fill('Alert on shard error rate');
  await item.getByLabel(/^Owner/).fill('group:default/team-discovery');
  await postMortem.getByRole('button', { name: 'Save post-mortem' }).click();
  await expect(page.getByText('Post-mortem saved')).toBeVisible();
  await expect(detail.getByText(/Phase: post-mortem/)).toBeVisible();
  await shot(page, 'incident-post-mortem');

  const after = await api.get(`/api/runbook/incidents/${declared.id}`);
  expect(after.status).toBe('post-mortem');
  expect(after.acknowledgedBy ?? after.acknowledged?.by ?? '').toContain(
    'guest',
  );
  expect(JSON.stringify(after.postMortem)).toContain(
    'A bad index shard answered 500',
  );
});
