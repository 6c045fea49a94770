import { expect, test } from '../fixtures/test';

// The security views: a service's Security tab lists its certificates (with expiry) and who
// may access its namespace, as the API reports them from the sandbox; the Security overview
// page lists expiring certificates, access to review and Secrets not rotated.

const SERVICE = 'auth-service';
const E = `component/default/${SERVICE}`;

const rowCount = async (table: import('@playwright/test').Locator) =>
  (await table.getByRole('row').count()) - 1;

test('certificate, access and rotation views show what the cluster has', async ({
  page,
  api,
  shot,
}) => {
  const certificates = (
    await api.get(`/api/runbook/entities/${E}/certificates`)
  ).items;
  const access = await api.get(`/api/runbook/entities/${E}/access`);
  expect(certificates.length).toBeGreaterThan(0);
  expect(access.subjects.length).toBeGreaterThan(0);

  await page.goto(`/catalog/default/component/${SERVICE}/security`);
  const certs = page.getByRole('table', { name: 'Certificates' });
  for (const c of certificates) {
    await expect(
      certs.getByRole('row').filter({ hasText: c.name }).first(),
    ).toContainText(c.dnsNames[0]);
  }
  await expect.poll(() => rowCount(certs)).toBe(certificates.length);
  const subjects = page.getByRole('table', { name: 'Subjects' });
  for (const s of access.subjects) {
    await expect(
      subjects.getByRole('row').filter({ hasText: s.name }).first(),
    ).toBeVisible();
  }
  await shot(page, 'service-security');

  // The overview: every list as the API has it (rows, or the "nothing to do" line).
  const overview = await api.get('/api/runbook/security/overview');
  await page.goto('/runbook/security');
  const lists: Array<[string, any[], (x: any) => string]> = [
    [
      'Expiring certificates',
      overview.certificates,
      c => `${c.namespace}/${c.name}`,
    ],
    [
      'Secrets not rotated',
      overview.rotations,
      r => `${r.namespace}/${r.secret}`,
    ],
  ];
  for (const [label, items, text] of lists) {
    if (items.length === 0) {
      await expect(page.getByRole('table', { name: label })).toHaveCount(0);
      continue;
    }
    const table = page.getByRole('table', { name: label });
    for (const item of items) {
      await expect(
        table
          .getByRole('row')
          .filter({ hasText: text(item) })
          .first(),
      ).toBeVisible();
    }
  }
  await expect(page.getByText(/Secrets not rotated/).first()).toBeVisible();
  await expect(page.getByText(/Access to review/).first()).toBeVisible();
  await shot(page, 'security-overview');
});
