import { IDENTITIES } from '../fixtures/identities';
import { cardTitled, expect, test } from '../fixtures/test';

// Four eyes in the browser: Greta of Team Media asks for a rollout restart of her Edge
// service, which app-config.e2e.yaml's rule holds for a platform lead. She sees it waiting
// and cannot decide it herself; the guest (a platform lead) approves it on the Approvals
// page with a comment. The restart then runs, the pods are replaced, and the audit trail
// names both people.

const NAMESPACE = 'nexus-edge';
const SERVICE = 'download-service';
const ENTITY = `component:default/${SERVICE}`;

test('a restart one person requests waits for another to approve it in the browser', async ({
  page,
  pageAs,
  api,
  apiAs,
  sandbox,
  shot,
}) => {
  const podsBefore = (await sandbox.readyPods(NAMESPACE, `app=${SERVICE}`)).map(
    p => p.metadata.name,
  );

  // Greta requests it from the Runbook tab.
  const greta = await pageAs(IDENTITIES.owner);
  await greta.goto(`/catalog/default/component/${SERVICE}/runbook`);
  await greta.getByRole('button', { name: /^Rollout restart/ }).click();
  await greta
    .getByRole('form', { name: 'Rollout restart' })
    .getByRole('button', { name: 'Review rollout restart' })
    .click();
  const dialog = greta.getByRole('dialog', {
    name: `Rollout restart ${SERVICE}`,
  });
  await dialog
    .getByRole('textbox', { name: `Type ${SERVICE} to confirm` })
    .fill(SERVICE);
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog).toBeHidden();

  // It waits, saying for whom; nothing has restarted.
  const current = cardTitled(greta, 'Current run');
  await expect(
    current.getByText('Awaiting approval', { exact: true }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(current).toContainText(
    'awaiting approval by members of group:default/platform-lead (rule "restarts in the Edge system")',
  );
  await shot(greta, 'approval-requested');
  const runs = await api.get(
    `/api/runbook/entities/component/default/${SERVICE}/runs`,
  );
  const waiting = runs.items.find(
    (r: any) => r.action === 'restart' && r.status === 'awaiting-approval',
  );
  expect(waiting.actor).toBe(IDENTITIES.owner.userEntityRef);

  // The requester may not approve her own change (four eyes).
  const asGreta = await apiAs(IDENTITIES.owner);
  const own = await asGreta.request(
    'POST',
    `/api/runbook/runs/${waiting.id}/approve`,
    { comment: 'my own' },
  );
  expect(own.status).toBe(403);

  // The platform lead decides on the Approvals page.
  await page.goto('/runbook/approvals');
  const card = page.getByRole('article', {
    name: `Rollout restart on ${SERVICE}`,
  });
  await expect(card).toContainText('greta');
  await card.getByRole('button', { name: 'Approve', exact: true }).click();
  const decision = page.getByRole('dialog', {
    name: new RegExp(`^Approve .*${SERVICE}`),
  });
  const approve = decision.getByRole('button', {
    name: 'Approve',
    exact: true,
  });
  await expect(approve).toBeDisabled();
  await decision
    .getByRole('textbox', { name: /Comment/ })
    .fill('Checked with the Edge on-call');
  await shot(page, 'approval-decision');
  await approve.click();
  await expect(decision).toBeHidden();
  await expect(card).toBeHidden();

  // Greta's page follows the run to success; the pods were replaced.
  await expect(current.getByText('succeeded', { exact: true })).toBeVisible({
    timeout: 120_000,
  });
  await expect
    .poll(
      async () =>
        (await sandbox.readyPods(NAMESPACE, `app=${SERVICE}`))
          .map(p => p.metadata.name)
          .filter(name => podsBefore.includes(name)).length,
      { timeout: 60_000 },
    )
    .toBe(0);

  // The audit trail names the requester and the approver.
  const audit = await api.get(
    `/api/runbook/audit?run=${waiting.id}&entity=${encodeURIComponent(ENTITY)}`,
  );
  expect(audit.items.map((i: any) => [i.event, i.actor])).toEqual(
    expect.arrayContaining([
      ['requested', IDENTITIES.owner.userEntityRef],
      ['approved', IDENTITIES.guest.userEntityRef],
    ]),
  );
});
