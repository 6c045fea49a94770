import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandboxCluster, testClock } from '@nexus-cos/sandbox-cluster';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runbookPlugin } from '../plugin';
import { startRealPrometheus } from './__testUtils__/realPrometheus';
import { sandboxKubernetesConfig } from '../__testUtils__/sandbox';

jest.setTimeout(180_000);

const NS = 'nexus-pay';
const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'payments',
      'backstage.io/kubernetes-namespace': NS,
      'nexus-cos.io/replicas': '2-6',
      'nexus-cos.io/image-repository': 'nexus-cos/payments',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team-a',
  },
};

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** The acceptance test of the health view: the sandbox's traffic, scraped by a real Prometheus. */
describe('health against the sandbox traffic and a real Prometheus', () => {
  let cluster: Awaited<ReturnType<typeof startSandboxCluster>>;
  let prometheus: Awaited<ReturnType<typeof startRealPrometheus>>;
  let http: ReturnType<typeof request>;
  let stopBackend: () => Promise<void>;
  let catalogDir: string;
  const health = async () =>
    (await http.get('/api/runbook/entities/component/default/payments/health'))
      .body;

  beforeAll(async () => {
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-health-prom-'));
    fs.writeFileSync(
      path.join(catalogDir, 'services.yaml'),
      JSON.stringify(payments),
    );
    // Pinned, so the healthy baseline does not depend on the hour's load.
    cluster = await startSandboxCluster({
      port: 0,
      seed: { catalogDir },
      traffic: { startAt: testClock() },
    });
    await cluster.waitForRollouts();
    prometheus = await startRealPrometheus(cluster.url, '1s');
    const backend = await startTestBackend({
      features: [
        runbookPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: sandboxKubernetesConfig(cluster.url),
            runbook: {
              metrics: {
                prometheus: {
                  baseUrl: prometheus.url,
                  rateWindow: '5s',
                  cacheSeconds: 1,
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [payments] }),
      ],
    });
    http = request(backend.server);
    stopBackend = () => backend.stop();
    await waitFor(
      async () => {
        const h = await health();
        return h.status === 'healthy' && h.metrics.current.requestsPerSecond > 0
          ? h
          : undefined;
      },
      60_000,
      'a healthy service with request metrics',
    );
  });
  afterAll(async () => {
    await stopBackend?.();
    await prometheus?.stop();
    await cluster?.stop();
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  it('shows the golden signals and the last hour of series from Prometheus', async () => {
    const h = await health();
    expect(h.metrics.source).toBe('prometheus');
    for (const metric of [
      'requestsPerSecond',
      'errorRatio',
      'latencyP99Seconds',
      'cpuCores',
      'memoryBytes',
    ]) {
      expect([metric, typeof h.metrics.current[metric]]).toEqual([
        metric,
        'number',
      ]);
    }
    expect(h.metrics.series.requestsPerSecond.length).toBeGreaterThan(0);
  });

  it('turns degraded with high-error-rate within 15 s of an error spike, and healthy when cleared', async () => {
    const fault = cluster.faults.add({
      kind: 'error-spike',
      service: 'payments',
      rate: 0.5,
    });
    const started = Date.now();
    const degraded = await waitFor(
      async () => {
        const h = await health();
        return h.reasons.some((r: any) => r.code === 'high-error-rate')
          ? h
          : undefined;
      },
      15_000,
      'high-error-rate',
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(degraded.status).toBe('degraded');
    // The runbook's "review error logs": the tail keeps only the ERROR lines.
    const logs = (url: string) =>
      http.get(`/api/runbook/entities/component/default/payments/logs${url}`);
    const errors = await waitFor(
      async () => {
        const res = await logs('?errors=true&tail=200');
        return res.body.lines?.length ? res.body : undefined;
      },
      15_000,
      'ERROR lines in the pod log',
    );
    expect(errors.lines.every((l: string) => l.includes('ERROR'))).toBe(true);
    const all = (await logs('?tail=200')).body;
    expect(all.lines.some((l: string) => !l.includes('ERROR'))).toBe(true);
    cluster.faults.remove(fault.id);
    await waitFor(
      async () => ((await health()).status === 'healthy' ? true : undefined),
      30_000,
      'healthy again',
    );
  });

  it('turns down when the pods crash, and healthy when cleared', async () => {
    const fault = cluster.faults.add({ kind: 'down', service: 'payments' });
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.status === 'down' ? h : undefined;
      },
      30_000,
      'down',
    );
    expect(down.reasons.map((r: any) => r.code)).toContain(
      'replicas-unavailable',
    );
    cluster.faults.remove(fault.id);
    await waitFor(
      async () => ((await health()).status === 'healthy' ? true : undefined),
      60_000,
      'healthy again',
    );
  });
});
