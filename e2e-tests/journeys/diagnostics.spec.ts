import { expect, test } from '../fixtures/test';

// Diagnostics of a service whose pods crash (a "down" fault through the sandbox's admin
// API): run from the service's Health tab, the report fails the Deployment-and-pods check, names
// the crashing pods and carries the runbook's checklist; the run is read-only.

const NAMESPACE = 'nexus-social';
const SERVICE = 'comment-service';

test.afterEach(async ({ sandbox }) => {
  await sandbox.clearFaults(SERVICE);
});

test('diagnostics of a crashing service: a failed pod check with its checklist', async ({
  page,
  api,
  sandbox,
  shot,
}) => {
  await sandbox.addFault({
    kind: 'down',
    service: SERVICE,
    namespace: NAMESPACE,
  });
  // The pods crash and restart in CrashLoopBackOff before anything is diagnosed.
  await expect
    .poll(
      async () => (await sandbox.readyPods(NAMESPACE, `app=${SERVICE}`)).length,
      {
        timeout: 60_000,
      },
    )
    .toBe(0);
  const replicas = (await sandbox.deployment(NAMESPACE, SERVICE)).spec.replicas;

  await page.goto(`/catalog/default/component/${SERVICE}/health`);
  await page.getByRole('button', { name: 'Run diagnostics' }).click();
  const report = page.getByLabel('Diagnostics report');
  await expect(report.getByText('Diagnosis:')).toBeVisible({
    timeout: 120_000,
  });
  const pods = report.getByRole('listitem', {
    name: 'Deployment and pods: fail',
  });
  await expect(pods).toBeVisible();
  await expect(pods).toContainText(/CrashLoopBackOff|Error|not ready/);
  await expect(pods.getByLabel(/checklist$/).first()).toBeVisible();
  await shot(page, 'diagnostics');

  // The run: read-only and stored with its verdict; nothing in the cluster changed.
  const runs = await api.get(
    `/api/runbook/entities/component/default/${SERVICE}/runs`,
  );
  const run = (runs.items ?? runs).find((r: any) => r.action === 'diagnostics');
  expect(run.status).toBe('succeeded');
  expect(run.result.verdict).toBe('fail');
  expect((await sandbox.deployment(NAMESPACE, SERVICE)).spec.replicas).toBe(
    replicas,
  );
});
