import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandboxCluster, testClock } from '@nexus-cos/sandbox-cluster';
import { RunbookClient } from '@nexus-cos/plugin-runbook-common';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runbookPlugin } from '../plugin';
import { startPrometheusStandIn } from './__testUtils__/prometheusStandIn';
import { startTcpProxy } from './__testUtils__/tcpProxy';
import { sandboxKubernetesConfig } from '../__testUtils__/sandbox';

jest.setTimeout(120_000);

const NS = 'nexus-pay';
const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': NS,
      'nexus-cos.io/replicas': '2-6',
      'nexus-cos.io/image-repository': `nexus-cos/${name}`,
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/team-a',
  },
});
const ENTITIES = [component('payments'), component('ledger')];

/** The last health answer a probe saw, for the message of a timeout. */
let last: unknown;

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out; last answer: ${JSON.stringify(last)}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('health from the watch cache against the sandbox cluster', () => {
  let cluster: Awaited<ReturnType<typeof startSandboxCluster>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let http: ReturnType<typeof request>;
  let stopBackend: () => Promise<void>;
  let catalogDir: string;
  let baseUrl: string;
  let prometheus: Awaited<ReturnType<typeof startPrometheusStandIn>>;
  /** What the Prometheus stand-in reports as the error ratio of `ledger`. */
  let ledgerErrorRatio = 0;

  const k8s = async (
    method: string,
    apiPath: string,
    body?: unknown,
    type = 'application/merge-patch+json',
  ) => {
    const res = await fetch(`${cluster.url}${apiPath}`, {
      method,
      headers: { 'Content-Type': type },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(
        `${method} ${apiPath}: ${res.status} ${await res.text()}`,
      );
    return res.json();
  };
  const sandboxPods = async (service: string) =>
    (
      await k8s(
        'GET',
        `/api/v1/namespaces/${NS}/pods?labelSelector=backstage.io/kubernetes-id=${service}`,
      )
    ).items
      .filter((p: any) => !p.metadata.deletionTimestamp)
      .map((p: any) => p.metadata.name)
      .sort();
  const health = async (service = 'payments') => {
    const res = await http.get(
      `/api/runbook/entities/component/default/${service}/health`,
    );
    last = res.body;
    return res.body;
  };
  const cachedPods = async (service = 'payments') =>
    ((await health(service)).workload?.pods ?? [])
      .filter((p: any) => p.phase !== 'Terminating')
      .map((p: any) => p.name)
      .sort();

  beforeAll(async () => {
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-health-'));
    fs.writeFileSync(
      path.join(catalogDir, 'services.yaml'),
      ENTITIES.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    // A short change history, so that a watch resumed after an outage gets 410 Gone.
    cluster = await startSandboxCluster({
      port: 0,
      seed: { catalogDir },
      timings: { watchHistorySize: 20 },
      // Pinned, so how far the HPA scales does not depend on the hour's load.
      traffic: { startAt: testClock() },
    });
    await cluster.waitForRollouts();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    // Stands in for Prometheus until the sandbox serves /metrics: an empty answer for
    // every query but the error ratio of ledger, asked for it or for every service.
    prometheus = await startPrometheusStandIn((query, apiPath) => ({
      status: 'success',
      data: {
        resultType: apiPath.endsWith('query_range') ? 'matrix' : 'vector',
        result:
          query.includes('code=~"5.."') &&
          !apiPath.endsWith('query_range') &&
          (query.includes('service="ledger"') ||
            query.includes('by (namespace, service)'))
            ? [
                {
                  metric: { namespace: NS, service: 'ledger' },
                  value: [Date.now() / 1000, String(ledgerErrorRatio)],
                },
              ]
            : [],
      },
    }));
    const backend = await startTestBackend({
      features: [
        runbookPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: sandboxKubernetesConfig(proxy.url),
            runbook: {
              health: { watch: { initialBackoffMs: 50, maxBackoffMs: 500 } },
              metrics: {
                prometheus: { baseUrl: prometheus.url, cacheSeconds: 0 },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
    });
    http = request(backend.server);
    baseUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    stopBackend = () => backend.stop();
    await waitFor(async () =>
      (await health()).status === 'healthy' ? true : undefined,
    );
  });
  afterAll(async () => {
    await stopBackend?.();
    await proxy?.stop();
    await cluster?.stop();
    await prometheus?.stop();
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  it('answers 100 health reads and the overview without a single request to the cluster', async () => {
    // Let the watches settle first (the short history can make one re-list after the seeding).
    let before = -1;
    while (before !== cluster.requestCount) {
      before = cluster.requestCount;
      await new Promise(r => setTimeout(r, 500));
    }
    for (let i = 0; i < 100; i++) {
      const body = await health(i % 2 ? 'payments' : 'ledger');
      expect(body.status).toBe('healthy');
    }
    const overview = await http.get('/api/runbook/health');
    expect(
      overview.body.items.map((i: any) => [i.entityRef, i.status]),
    ).toEqual([
      ['component:default/payments', 'healthy'],
      ['component:default/ledger', 'healthy'],
    ]);
    expect(cluster.requestCount - before).toBe(0);
  });

  it('turns degraded on a high error rate from the metrics provider and back', async () => {
    ledgerErrorRatio = 0.2;
    const body = await waitFor(async () => {
      const h = await health('ledger');
      return h.status === 'degraded' ? h : undefined;
    });
    expect(body.reasons).toEqual([
      expect.objectContaining({
        code: 'high-error-rate',
        message: 'Error rate 20.0% is above 5.0%',
        suggestedSeverity: 'P1',
      }),
    ]);
    expect(body.metrics).toMatchObject({
      source: 'prometheus',
      current: { errorRatio: 0.2 },
    });
    ledgerErrorRatio = 0;
    await waitFor(async () =>
      (await health('ledger')).status === 'healthy' ? true : undefined,
    );
  });

  it('shows the live workload', async () => {
    const body = await health();
    expect(body.workload).toMatchObject({
      cluster: 'sandbox',
      namespace: NS,
      service: 'payments',
      deployments: [
        {
          name: 'payments',
          replicas: 2,
          availableReplicas: 2,
          limits: { cpuCores: 0.5, memoryBytes: 512 * 2 ** 20 },
        },
      ],
    });
    expect(body.workload.pods).toHaveLength(2);
  });

  it("shows the HPA's current and desired replicas", async () => {
    await k8s(
      'POST',
      `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'payments', namespace: NS },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'payments',
          },
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 70 },
              },
            },
          ],
        },
      },
      'application/json',
    );
    const body = await waitFor(async () => {
      const h = await health();
      return h.workload.hpa?.desiredReplicas !== undefined ? h : undefined;
    });
    expect(body.workload.hpa).toMatchObject({
      name: 'payments',
      minReplicas: 2,
      maxReplicas: 6,
      currentReplicas: expect.any(Number),
      desiredReplicas: expect.any(Number),
    });
    await k8s(
      'DELETE',
      `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/payments`,
    );
    await waitFor(async () =>
      (await health()).workload.hpa ? undefined : true,
    );
  });

  it('shows a pod change within a second', async () => {
    const [victim] = await sandboxPods('payments');
    const started = Date.now();
    await k8s('DELETE', `/api/v1/namespaces/${NS}/pods/${victim}`);
    await waitFor(
      async () => ((await cachedPods()).includes(victim) ? undefined : true),
      5000,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('turns degraded with the Pods Not Starting checklist when an image cannot be pulled', async () => {
    await k8s(
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/ledger`,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'ledger', image: 'nexus-cos/ledger:broken' },
              ],
            },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    const body = await waitFor(async () => {
      const h = await health('ledger');
      return h.reasons.some((r: any) => r.code === 'pods-not-starting')
        ? h
        : undefined;
    });
    expect(body.status).toBe('degraded');
    const reason = body.reasons.find(
      (r: any) => r.code === 'pods-not-starting',
    );
    expect(reason).toMatchObject({
      suggestedSeverity: 'P2',
      checklist: { title: 'Pods Not Starting' },
    });
    expect(reason.message).toMatch(
      /ledger-\S+ \((ImagePullBackOff|ErrImagePull)\)/,
    );

    const events = await http.get(
      '/api/runbook/entities/component/default/ledger/events',
    );
    expect(events.status).toBe(200);
    expect(events.body.items.length).toBeGreaterThan(0);
    expect(
      events.body.items.every((e: any) => /\/ledger(-|$)/.test(e.object)),
    ).toBe(true);
  });

  it('turns down when scaled to zero and healthy again when scaled back', async () => {
    const scale = (replicas: number) =>
      k8s('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/payments`, {
        spec: { replicas },
      });
    await scale(0);
    await waitFor(async () =>
      (await health()).status === 'down' ? true : undefined,
    );
    expect((await health()).reasons[0]).toMatchObject({
      code: 'stopped',
      checklist: { title: 'Service Down' },
    });
    await scale(2);
    await waitFor(async () =>
      (await health()).status === 'healthy' ? true : undefined,
    );
  });

  it('recovers from a cut watch and an expired resourceVersion without losing updates', async () => {
    await proxy.cut();
    // More changes than the sandbox keeps in its watch history: resuming gets 410 Gone.
    for (let i = 0; i < 6; i++) {
      await k8s(
        'PATCH',
        `/apis/apps/v1/namespaces/${NS}/deployments/payments`,
        { spec: { replicas: i % 2 ? 2 : 3 } },
      );
    }
    await k8s('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/payments`, {
      spec: { replicas: 4 },
    });
    await waitFor(async () =>
      (await sandboxPods('payments')).length === 4 ? true : undefined,
    );
    const expected = await sandboxPods('payments');
    await proxy.restore();
    await waitFor(async () => {
      const cached = await cachedPods();
      return JSON.stringify(cached) === JSON.stringify(expected)
        ? true
        : undefined;
    });
    const body = await waitFor(async () => {
      const h = await health();
      return h.workload.deployments[0].replicas === 4 && h.status === 'healthy'
        ? h
        : undefined;
    });
    expect(body.workload.deployments[0].availableReplicas).toBe(4);
  });

  it('tails a pod log on demand and refuses bad parameters', async () => {
    const [pod] = await sandboxPods('payments');
    const logs = await http.get(
      `/api/runbook/entities/component/default/payments/logs?pod=${pod}&tail=20`,
    );
    expect(logs.status).toBe(200);
    expect(logs.body).toMatchObject({ pod, errorsOnly: false });
    expect(Array.isArray(logs.body.lines)).toBe(true);
    const errorsOnly = await http.get(
      `/api/runbook/entities/component/default/payments/logs?errors=true`,
    );
    expect(errorsOnly.body.errorsOnly).toBe(true);
    expect(
      errorsOnly.body.lines.every((l: string) => l.includes('ERROR')),
    ).toBe(true);
    for (const [url, status, message] of [
      ['logs?tail=0', 400, 'tail must be a whole number between 1 and 5000'],
      ['logs?tail=abc', 400, 'tail must be a whole number'],
      ['logs?pod=../etc', 400, 'pod must be a pod name'],
      ['logs?errors=yes', 400, 'errors must be true or false'],
      [
        'logs?pod=someone-else',
        404,
        'pod: someone-else is not a pod of component:default/payments',
      ],
      [
        'events?limit=501',
        400,
        'limit must be a whole number between 1 and 500',
      ],
    ] as const) {
      const res = await http.get(
        `/api/runbook/entities/component/default/payments/${url}`,
      );
      expect([url, res.status]).toEqual([url, status]);
      expect(res.body.error.message).toContain(message);
    }
    const client = new RunbookClient({
      discoveryApi: { getBaseUrl: async () => `${baseUrl}/api/runbook` },
    });
    const viaClient = await client.getLogs('component:default/payments', {
      pod,
      tail: 5,
      errorsOnly: true,
    });
    expect(viaClient).toMatchObject({ pod, errorsOnly: true });
    expect((await client.getHealth('component:default/payments')).status).toBe(
      'healthy',
    );
    expect((await client.getHealthOverview()).items).toHaveLength(2);
    expect(
      Array.isArray(
        (await client.getEvents('component:default/payments', { limit: 5 }))
          .items,
      ),
    ).toBe(true);
    const unknown = await http.get(
      '/api/runbook/entities/component/default/nope/health',
    );
    expect(unknown.status).toBe(404);
  });
});
