import { expect, test } from '../fixtures/test';

// The Maintenance page: today's routine tasks, automated checks with their status and the
// manual ones to tick. Ticking "Review metrics" with a note shows it done, and the API has
// it done with the note and who ticked it.

const TITLE = 'Review metrics (Grafana dashboards)';

test('the maintenance page lists the routine and a manual item is ticked with a note', async ({
  page,
  api,
  shot,
}) => {
  await page.goto('/runbook/maintenance');
  for (const automated of ['Check system health', 'Review error logs']) {
    await expect(
      page.getByRole('row').filter({ hasText: automated }),
    ).toBeVisible();
  }
  await page.getByRole('button', { name: `Mark ${TITLE} done` }).click();
  const dialog = page.getByRole('dialog');
  const save = dialog.getByRole('button', { name: 'Mark done' });
  await expect(save).toBeDisabled();
  const note = `e2e: dashboards reviewed ${Date.now()}`;
  await dialog.getByRole('textbox', { name: /Note/ }).fill(note);
  // The day the tick lands in, read back at that instant: a run across midnight stays right.
  const tickedAt = new Date().toISOString();
  await save.click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: note });
  await expect(row).toContainText('done');
  await shot(page, 'maintenance');

  const daily = await api.get(
    `/api/runbook/maintenance?period=daily&at=${encodeURIComponent(tickedAt)}`,
  );
  const item = daily.items.find((i: any) => i.title === TITLE);
  expect(item.status).toBe('done');
  expect(JSON.stringify(item)).toContain(note);
  expect(JSON.stringify(item)).toContain('guest');
});
