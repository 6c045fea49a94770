import { TestDatabases } from '@backstage/backend-test-utils';
import type { ChecklistEvidence } from '@nexus-cos/plugin-runbook-common';
import { PRE_DEPLOYMENT_CHECKLIST } from '@nexus-cos/plugin-runbook-common';
import {
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';

jest.setTimeout(180_000);

const withStaging = (name: string, ns: string) =>
  component(name, {
    'backstage.io/kubernetes-namespace': ns,
    'nexus-cos.io/staging-namespace': `${ns}-staging`,
  });
const entities = [
  withStaging('ready', 'nexus-cl'),
  withStaging('tight', 'nexus-tight'),
  component('nostaging', { 'backstage.io/kubernetes-namespace': 'nexus-cl' }),
];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the pre-deployment checklist against the sandbox on %p',
  databaseId => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let stagingImage: string;

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      started = await startRunbookBackend({
        knex: await databases.init(databaseId),
        entities,
        clusterUrl: sandbox.url,
      });
      const staging = await sandbox.get(
        '/apis/apps/v1/namespaces/nexus-cl-staging/deployments/ready',
      );
      stagingImage = staging.spec.template.spec.containers[0].image;
      // The quota is full: a rolling update's extra pod would not fit.
      const pods = await sandbox.get('/api/v1/namespaces/nexus-tight/pods');
      await sandbox.send(
        'POST',
        '/api/v1/namespaces/nexus-tight/resourcequotas',
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'tight', namespace: 'nexus-tight' },
          spec: { hard: { pods: String(pods.items.length) } },
        },
      );
    });

    afterAll(async () => {
      await started?.backend.stop();
      await sandbox?.stop();
    });

    async function checklist(
      http: typeof started.http,
      svc: string,
      input: object,
    ) {
      const res = await http
        .post(`/api/runbook/entities/component/default/${svc}/runs`)
        .set(as(OWNER))
        .send({ action: 'checklist', input });
      expect({ status: res.status, error: res.body.error?.message }).toEqual({
        status: 202,
        error: undefined,
      });
      const deadline = Date.now() + 120_000;
      for (;;) {
        const run = (
          await http.get(`/api/runbook/runs/${res.body.id}`).set(as(OWNER))
        ).body;
        if (run.finishedAt) return run;
        if (Date.now() > deadline) throw new Error(`stuck in ${run.status}`);
        await new Promise(r => setTimeout(r, 200));
      }
    }

    const unsatisfied = (run: any) =>
      (run.after as ChecklistEvidence).items
        .filter(i => !i.satisfied)
        .map(i => i.item);

    it('passes with every item verified or confirmed, and keeps the evidence', async () => {
      const before = await sandbox.get(
        '/apis/apps/v1/namespaces/nexus-cl/deployments/ready',
      );
      const run = await checklist(started.http, 'ready', {
        confirmations: [...PRE_DEPLOYMENT_CHECKLIST],
        image: stagingImage,
        changeRequest: 'CHG-1042',
        rollbackPlan: 'roll back to the previous revision',
      });
      expect({ status: run.status, error: run.error }).toEqual({
        status: 'succeeded',
        error: undefined,
      });
      const evidence = run.after as ChecklistEvidence;
      expect(evidence).toMatchObject({
        kind: 'checklist',
        verdict: 'pass',
        changeRequest: 'CHG-1042',
        rollbackPlan: 'roll back to the previous revision',
      });
      expect(evidence.items.map(i => [i.item, i.how])).toEqual([
        ['review-change-request', 'confirmed'],
        ['verify-staging-deployment', 'verified'],
        ['check-resource-availability', 'verified'],
        ['notify-stakeholders', 'confirmed'],
        ['prepare-rollback-plan', 'verified'],
        ['schedule-maintenance-window', 'verified'],
      ]);
      const detail = Object.fromEntries(
        evidence.items.map(i => [i.item, i.detail]),
      );
      expect(detail['verify-staging-deployment']).toContain(
        `staging nexus-cl-staging runs ${stagingImage}`,
      );
      expect(detail['prepare-rollback-plan']).toMatch(/at revision \d+/);
      expect(detail['schedule-maintenance-window']).toContain(
        'No maintenance windows are configured',
      );
      // A gate changes nothing.
      const after = await sandbox.get(
        '/apis/apps/v1/namespaces/nexus-cl/deployments/ready',
      );
      expect(after.metadata.generation).toBe(before.metadata.generation);
      const audit = await started.http
        .get('/api/runbook/audit?entity=component:default/ready')
        .set(as(OWNER));
      expect(
        audit.body.items
          .filter((i: any) => i.runId === run.id)
          .map((i: any) => i.event),
      ).toEqual(['requested', 'started', 'step', 'succeeded']);
    });

    it('fails with a readable list of what is not satisfied', async () => {
      const run = await checklist(started.http, 'ready', {
        confirmations: ['review-change-request'],
        image: 'nexus-cos/ready:9.9.9',
      });
      expect(run.status).toBe('failed');
      expect(run.error).toContain(
        'The pre-deployment checklist is not satisfied',
      );
      expect(run.error).toContain(
        `verify-staging-deployment: component:default/ready is in the catalog; staging nexus-cl-staging runs ${stagingImage}`,
      );
      expect(run.error).toContain('not nexus-cos/ready:9.9.9');
      expect(run.error).toContain(
        'notify-stakeholders: Not confirmed: the stakeholders were notified',
      );
      expect(run.error).not.toContain('cannot be undone');
      expect(unsatisfied(run)).toEqual([
        'verify-staging-deployment',
        'notify-stakeholders',
      ]);
    });

    it('fails without a staging namespace, and when the surge does not fit the quota', async () => {
      const all = [...PRE_DEPLOYMENT_CHECKLIST];
      const nostaging = await checklist(started.http, 'nostaging', {
        confirmations: all,
      });
      expect(unsatisfied(nostaging)).toEqual(['verify-staging-deployment']);
      expect(nostaging.error).toContain(
        'has no nexus-cos.io/staging-namespace annotation',
      );
      const tight = await checklist(started.http, 'tight', {
        confirmations: all,
      });
      expect(unsatisfied(tight)).toEqual(['check-resource-availability']);
      expect(tight.error).toMatch(
        /does not fit: ResourceQuota tight allows pods \d+, the surge needs \d+/,
      );
    });

    it('refuses bad input with a 400 naming the field', async () => {
      for (const [input, message] of [
        [{ confirmations: ['skip-tests'] }, 'input.confirmations.0'],
        [
          { confirmations: [], image: 'elsewhere/ready:1.0.0' },
          'input.image: image must come from the repository "nexus-cos/ready"',
        ],
      ] as const) {
        const res = await started.http
          .post('/api/runbook/entities/component/default/ready/runs')
          .set(as(OWNER))
          .send({ action: 'checklist', input });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      }
    });

    it('fails outside the configured maintenance windows', async () => {
      // Every day, but closed as soon as it opens: the run is outside it at any instant,
      // so the test does not depend on when it runs (the clock-dependent cases are in
      // maintenanceWindow.test.ts, at fixed instants).
      const other = await startRunbookBackend({
        knex: await databases.init(databaseId),
        entities,
        clusterUrl: sandbox.url,
        config: {
          checklist: {
            maintenanceWindows: [{ days: DAYS, start: '12:00', end: '12:00' }],
          },
        },
      });
      try {
        const run = await checklist(other.http, 'ready', {
          confirmations: [...PRE_DEPLOYMENT_CHECKLIST],
        });
        expect(unsatisfied(run)).toEqual(['schedule-maintenance-window']);
        expect(run.error).toContain(
          'outside every maintenance window (sun,mon,tue,wed,thu,fri,sat 12:00-12:00 UTC)',
        );
      } finally {
        await other.backend.stop();
      }
    });
  },
);
