import { cardTitled, expect, test } from '../fixtures/test';

// Backups of nexus_db: a backup taken through the API is listed on the Resource's Backups
// tab with its size, checksum and tables; verifying it from its row runs verify-backup to
// success, and the list and the API then show it verified.

test('backup list and verify: a backup is listed, verified from its row, shown passed', async ({
  page,
  api,
  shot,
}) => {
  const run = await api.post(
    '/api/runbook/entities/resource/default/nexus-db/runs',
    { action: 'backup', input: {}, reason: 'e2e: a backup to verify' },
    { 'Idempotency-Key': crypto.randomUUID() },
  );
  await expect
    .poll(async () => (await api.get(`/api/runbook/runs/${run.id}`)).status, {
      timeout: 120_000,
    })
    .toBe('succeeded');
  const [backup] = (await api.get('/api/runbook/backups?target=nexus-db'))
    .items;
  expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);

  await page.goto('/catalog/default/resource/nexus-db/backups');
  const row = page.getByRole('row').filter({ hasText: backup.id });
  await expect(row).toContainText(backup.sha256.slice(0, 12));
  await expect(row).toContainText(`${backup.tables.length} tables`);
  await shot(page, 'backups');

  await row.getByRole('button', { name: `Verify ${backup.id}` }).click();
  const form = page.getByRole('form', { name: 'Verify backup' });
  await expect(form.getByRole('textbox', { name: /Backup/ })).toHaveValue(
    backup.id,
  );
  await form.getByRole('button', { name: 'Review verify backup' }).click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByText('Dry run: what this run would do.'),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(
    cardTitled(page, 'Current run').getByText('succeeded', { exact: true }),
  ).toBeVisible({ timeout: 120_000 });

  // The list and the API show the verification.
  await page.reload();
  await expect(
    page.getByRole('row').filter({ hasText: backup.id }),
  ).toContainText(/passed/);
  const verified = (
    await api.get('/api/runbook/backups?target=nexus-db')
  ).items.find((b: any) => b.id === backup.id);
  expect(verified.verification).toMatchObject({ ok: true });
});
