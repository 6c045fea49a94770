import { TestDatabases } from '@backstage/backend-test-utils';
import type { MaintenanceItem } from '@nexus-cos/plugin-runbook-common';
import { startSeededSandbox } from '../../__testUtils__/sandbox';
import {
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../../__testUtils__/testBackend';
import {
  notificationsRecorder,
  pinnedClock,
} from '../../__testUtils__/services';

jest.setTimeout(120_000);

const NS = 'nexus-ops';
const SERVICES = ['steady', 'flaky', 'broken', 'hot'];
const entities = SERVICES.map(name =>
  component(name, { 'backstage.io/kubernetes-namespace': NS }),
);

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 40_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 250));
  }
}

/** Each built-in check that reads the cluster, as its own task, due an hour into the period. */
const MAINTENANCE = {
  checkIntervalSeconds: 1,
  tasks: [
    {
      id: 'system-health',
      title: 'Check system health',
      period: 'daily',
      check: 'health-sweep',
      runAfter: 'PT1H',
    },
    {
      id: 'error-logs',
      title: 'Review error logs',
      period: 'daily',
      check: 'error-log-review',
      runAfter: 'PT1H',
    },
    {
      id: 'capacity-review',
      title: 'Capacity planning review',
      period: 'weekly',
      check: 'capacity',
      runAfter: 'PT1H',
    },
  ],
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the maintenance checks that read the cluster', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(entities);
    // hot uses 96% of its CPU limit (500m); every other pod a tenth.
    sandbox.setPodUsage((pod: any) => ({
      cpu:
        pod.metadata.labels?.['backstage.io/kubernetes-id'] === 'hot'
          ? '480m'
          : '50m',
      memory: '100Mi',
    }));
    // broken is scaled to nothing: down.
    await sandbox.send(
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/broken`,
      { spec: { replicas: 0 } },
      'application/merge-patch+json',
    );
    // flaky answers half its requests with 500 and logs ERROR lines.
    await sandbox.send('POST', '/sandbox/faults', {
      kind: 'error-spike',
      service: 'flaky',
      rate: 0.5,
    });
    // steady's autoscaler cannot go past its one replica.
    await sandbox.send(
      'POST',
      `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'steady', namespace: NS },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'steady',
          },
          minReplicas: 1,
          maxReplicas: 1,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 80 },
              },
            },
          ],
        },
      },
    );
    await eventually(async () => {
      const hpa = await sandbox.get(
        `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/steady`,
      );
      return hpa?.status?.currentReplicas === 1 ? true : undefined;
    });
    await eventually(async () => {
      const pods = await sandbox.get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dflaky`,
      );
      for (const pod of pods.items) {
        const res = await fetch(
          `${sandbox.url}/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/log`,
        );
        if (/\bERROR\b/.test(await res.text())) return true;
      }
      return undefined;
    });
  });
  afterAll(() => sandbox?.stop());

  it('records the health sweep, the ERROR lines of 24 hours and the capacity findings', async () => {
    // The checks run from 01:00 (UTC); the clock waits at 00:30 until the cache is full.
    const clock = pinnedClock('2026-12-07T00:30:00Z');
    const started = await startRunbookBackend({
      knex: await databases.init('SQLITE_3'),
      entities,
      clusterUrl: sandbox.url,
      config: { maintenance: MAINTENANCE },
      features: [clock.factory, notificationsRecorder().factory],
    });
    try {
      const items = async (period: string) =>
        (
          await started.http
            .get(`/api/runbook/maintenance?period=${period}`)
            .set(as(OWNER))
        ).body.items as MaintenanceItem[];
      // The watch cache has every service before the checks may run.
      await eventually(async () => {
        const health = (
          await started.http.get('/api/runbook/health').set(as(OWNER))
        ).body;
        return health.items?.length === 4 &&
          health.items.every((i: any) => i.status !== 'unknown')
          ? true
          : undefined;
      });
      expect((await items('daily')).map(i => i.status)).toEqual([
        'pending',
        'pending',
      ]);

      clock.set('2026-12-07T01:30:00Z');
      const daily = await eventually(async () => {
        const list = await items('daily');
        return list.every(i => i.status !== 'pending') ? list : undefined;
      });
      const [health, logs] = daily;
      expect(health).toMatchObject({
        id: 'system-health@2026-12-07',
        status: 'failed',
        by: 'maintenance:health-sweep',
        evidence: {
          services: 4,
          down: [
            {
              entityRef: 'component:default/broken',
              reasons: ['Scaled to 0 replicas'],
            },
          ],
        },
      });
      expect(health.summary).toMatch(/^\d of 4 services healthy.*1 down/);
      expect(logs).toMatchObject({
        id: 'error-logs@2026-12-07',
        status: 'warn',
        evidence: {
          windowHours: 24,
          servicesChecked: 4,
          services: [
            expect.objectContaining({
              entityRef: 'component:default/flaky',
              errors: expect.any(Number),
            }),
          ],
        },
      });
      expect((logs.evidence as any).services[0].errors).toBeGreaterThan(0);
      expect(logs.summary).toMatch(
        /ERROR line\(s\) in 24 h from 1 of 4 services, most from component:default\/flaky$/,
      );

      const [capacity] = await eventually(async () => {
        const list = await items('weekly');
        return list.every(i => i.status !== 'pending') ? list : undefined;
      });
      expect(capacity).toMatchObject({
        id: 'capacity-review@2026-W50',
        status: 'warn',
        evidence: {
          headroomPercent: 20,
          servicesChecked: 3,
          services: [
            {
              namespace: NS,
              service: 'hot',
              // 480m of each pod's 500m limit, summed over its pods.
              cpu: { headroomPercent: 4 },
            },
          ],
          hpasAtMax: [
            {
              namespace: NS,
              name: 'steady',
              target: 'steady',
              replicas: 1,
              maxReplicas: 1,
            },
          ],
        },
      });
      const hot = (capacity.evidence as any).services[0].cpu;
      expect(hot.usedMillicores / hot.limitMillicores).toBeCloseTo(0.96, 5);
      expect(capacity.summary).toBe(
        `${NS}/hot has 4% headroom; HPA ${NS}/steady is at its maximum of 1`,
      );
    } finally {
      await started.backend.stop();
    }
  });
});
