import { cardTitled, expect, test } from '../fixtures/test';

// The "DR drill" template, run from Create against nexus_db: it backs up, restores into a
// scratch database on the DR target, compares every table and reports matching checksums
// with the measured RTO and RPO.

const DB = 'resource:default/nexus-db';

test('the DR drill template reports matching checksums and RTO/RPO', async ({
  page,
  api,
  shot,
}) => {
  await page.goto('/create');
  await cardTitled(page, 'DR drill')
    .getByRole('button', { name: 'Choose' })
    .click();
  // Typing opens the picker; its options come once the runbook backend has answered.
  await page
    .getByRole('textbox', { name: 'Database', exact: true })
    .fill('nexus');
  await page.getByRole('option', { name: /nexus-db|nexus_db/ }).click();
  await page
    .getByRole('textbox', { name: 'Reason' })
    .fill('e2e: monthly drill');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task's report: the run succeeded, with RTO, RPO and the compared tables.
  const runLink = page.getByRole('link', { name: 'Drill run' });
  await expect(runLink).toBeVisible({ timeout: 180_000 });
  await expect(
    page.getByRole('paragraph').filter({ hasText: 'The drill of' }),
  ).toContainText(`The drill of ${DB} ended succeeded`);
  const json = page.locator('pre').filter({ hasText: '"verdict"' }).first();
  await expect(json).toContainText('"verdict": "pass"');
  await expect(json).toContainText(/"rtoSeconds": \d/);
  await expect(json).toContainText(/"rpoSeconds": \d/);
  await shot(page, 'dr-drill-task');

  // The run, as the API has it: every table's checksum matches the source's, and the
  // report on screen shows the same checksums.
  const href = (await runLink.getAttribute('href'))!;
  const run = await api.get(`/api/runbook/runs/${href.split('/').pop()}`);
  expect(run.status).toBe('succeeded');
  const report = run.after ?? run.result;
  expect(report.verdict).toBe('pass');
  expect(report.tables.length).toBeGreaterThan(0);
  for (const table of report.tables) {
    expect(table.match).toBe(true);
    expect(table.restoredChecksum).toBe(table.sourceChecksum);
    await expect(json).toContainText(
      `"restoredChecksum": "${table.sourceChecksum}"`,
    );
  }
  expect(report.rtoSeconds).toBeGreaterThan(0);
  expect(report.rpoSeconds).toBeGreaterThanOrEqual(0);
});
