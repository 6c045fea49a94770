import { expect, test } from '../fixtures/test';

// Catalog → a Nexus COS service: its health (replicas, pods and golden-signal charts), who
// is on call with mailto/tel links, and its System's page with health and incidents of all
// its services together. Read-only, except for one incident declared to be aggregated.

test('a service shows health, charts and on-call; its System aggregates health and incidents', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  await page.goto('/catalog');
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await page.getByRole('textbox', { name: 'Search' }).fill('media-upload');
  await page.getByRole('link', { name: 'media-upload', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'media-upload', level: 2 }),
  ).toBeVisible();

  // The health card: status and replicas as the sandbox has them.
  const deployment = await sandbox.deployment('nexus-media', 'media-upload');
  const wanted = deployment.spec.replicas;
  await expect(page.getByText('healthy', { exact: true })).toBeVisible();
  await expect(
    page.getByText(
      `${deployment.status.readyReplicas}/${wanted} ready, ${wanted} updated`,
    ),
  ).toBeVisible();

  // The on-call card names whoever the rotation has on call now, with working contacts.
  const onCall = await api.get(
    '/api/runbook/entities/component/default/media-upload/oncall',
  );
  const person = onCall.owner.now.contact;
  await expect(page.getByText('On call now for Team Media')).toBeVisible();
  await expect(
    page.getByRole('link', { name: `Email ${person.name}` }).first(),
  ).toHaveAttribute('href', `mailto:${person.email}`);
  await expect(
    page.getByRole('link', { name: `Call ${person.name}` }).first(),
  ).toHaveAttribute('href', `tel:${person.phone}`);
  await shot(page, 'service-overview');

  // The Health tab: every ready pod of the sandbox, and the golden signals charted.
  await page.getByRole('link', { name: 'Health', exact: true }).click();
  const pods = await sandbox.readyPods('nexus-media', 'app=media-upload');
  const podTable = page.getByRole('table', { name: 'Pods' });
  for (const pod of pods) {
    await expect(
      podTable.getByRole('row', {
        name: new RegExp(`^${pod.metadata.name} Running yes`),
      }),
    ).toBeVisible();
  }
  const requestRate = page.getByRole('figure', { name: 'Request rate' });
  await expect(requestRate).toContainText(/Request rate: \d+(\.\d+)? req\/s/);
  for (const chart of ['Error rate', 'Latency', 'CPU', 'Memory']) {
    // A drawn series, not an empty chart.
    await expect(
      page
        .getByRole('figure', { name: chart })
        .locator('path.recharts-curve')
        .first(),
    ).toBeVisible();
  }
  await shot(page, 'service-health');

  // The System page adds up its services: their health, and their open incidents.
  const declared = await api.post('/api/runbook/incidents', {
    title: 'e2e: thumbnails render blank for new uploads',
    severity: 'P3',
    entityRefs: ['component:default/thumbnail-generator'],
  });
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await page.getByRole('link', { name: 'Media', exact: true }).first().click();
  await expect(
    page.getByRole('heading', { name: 'media', level: 2 }),
  ).toBeVisible();
  const services = page.getByRole('list', { name: 'Services' });
  for (const name of [
    'media-upload',
    'media-storage',
    'media-transcoder',
    'thumbnail-generator',
  ]) {
    await expect(
      services.getByRole('link', { name, exact: true }),
    ).toBeVisible();
  }
  const health = await api.get('/api/runbook/health');
  const media = health.items.filter(
    (h: any) =>
      h.entityRef.startsWith('component:default/media-') ||
      h.entityRef === 'component:default/thumbnail-generator',
  );
  const notHealthy = media.filter((h: any) => h.status !== 'healthy').length;
  await expect(
    page.getByText(
      notHealthy === 0
        ? /All 4 services healthy/
        : new RegExp(`${notHealthy} of 4 services`),
    ),
  ).toBeVisible();
  const incidents = page.getByRole('table', { name: 'Incidents' });
  await expect(
    incidents.getByRole('row', { name: new RegExp(declared.title) }),
  ).toContainText('thumbnail-generator');
  await shot(page, 'system-page');
});
