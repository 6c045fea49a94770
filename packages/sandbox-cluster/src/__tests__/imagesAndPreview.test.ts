import { SandboxCluster } from '../startSandboxCluster';
import { TestPrometheus, startPrometheus } from './prometheus';
import {
  call,
  deploymentBody,
  eventually,
  startTestCluster,
} from './testCluster';

/**
 * Images that misbehave while their pods are Ready, and the preview Service of a
 * blue-green pair, as the pods' own Prometheus series show them: what a metric-gated
 * rollout will read.
 */
jest.setTimeout(120_000);

const NS = 'nexus-shop';
const rate = (selector: string) =>
  `sum(rate(http_requests_total{${selector}}[5s]))`;
const errorRatio = (selector: string) =>
  `${rate(`${selector},code=~"5.."`)} / ${rate(selector)}`;
const meanLatency = (selector: string) =>
  `sum(rate(http_request_duration_seconds_sum{${selector}}[5s])) / sum(rate(http_request_duration_seconds_count{${selector}}[5s]))`;
const p95 = (selector: string) =>
  `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[5s])))`;

describe('misbehaving images and the preview Service, observed by Prometheus', () => {
  let cluster: SandboxCluster;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    cluster = await startTestCluster();
    await cluster.waitForRollouts();
    prometheus = await startPrometheus(cluster.url, '1s');
  });
  afterAll(async () => {
    await prometheus?.stop();
    await cluster?.stop();
  });

  /** Polls a PromQL value until `expectation` passes; returns it. */
  const valueOf = (promql: string, expectation: (v: number) => void) =>
    eventually(async () => {
      const v = await prometheus.scalar(promql);
      expect(v).toBeDefined();
      expectation(v!);
      return v!;
    }, 60_000);
  const deploy = async (name: string, image: string) => {
    const res = await call(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deploymentBody(name, { image }),
    );
    expect(res.status).toBe(201);
    await cluster.waitForRollouts();
  };
  const modelPods = (service: string) =>
    [...cluster.traffic.pods()].filter(p => p.service === service);

  it('answers about 30% of requests with 5xx from an :errors image whose pods are Ready', async () => {
    await deploy('flaky', 'example/app:errors-2.0.0');
    const pods = modelPods('flaky');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.signals.rps).toBeGreaterThan(0);
      expect(pod.signals.errorShare).toBeGreaterThan(0.29);
      expect(pod.signals.errorShare).toBeLessThan(0.32);
    }
    const flaky = 'namespace="default",service="flaky"';
    await valueOf(errorRatio(flaky), v => {
      expect(v).toBeGreaterThan(0.25);
      expect(v).toBeLessThan(0.35);
    });
    // Per pod and code, as a fault's errors show.
    const byPod = await prometheus.query(
      `sum by (pod, code) (rate(http_requests_total{${flaky},code="500"}[5s]))`,
    );
    expect(byPod.map(r => r.metric.pod).sort()).toEqual(
      pods.map(p => p.name).sort(),
    );
  });

  it('adds about a second to every request once a Deployment runs a :slow image', async () => {
    await deploy('sluggish', 'example/app:1.0.0');
    const sluggish = 'namespace="default",service="sluggish"';
    await valueOf(rate(sluggish), v => expect(v).toBeGreaterThan(0));
    const before = {
      mean: await valueOf(meanLatency(sluggish), v =>
        expect(v).toBeLessThan(1),
      ),
      p95: await valueOf(p95(sluggish), v => expect(v).toBeLessThan(1)),
    };

    const res = await call(
      cluster,
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/sluggish',
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'main', image: 'example/app:slow' }] },
          },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(res.status).toBe(200);
    await cluster.waitForRollouts();
    // Once the old pods are gone, every pod pays the slow image's second.
    await eventually(() => {
      const pods = modelPods('sluggish');
      expect(pods).toHaveLength(2);
      for (const pod of pods) expect(pod.signals.addedLatency).toBe(1);
    });

    // The mean is exact: every request pays the second.
    await valueOf(meanLatency(sluggish), v => {
      expect(v - before.mean).toBeGreaterThan(0.9);
      expect(v - before.mean).toBeLessThan(1.1);
    });
    // p95 moves by the same second; above 1 s the default buckets (1, 2.5, 5) only
    // bound it.
    await valueOf(p95(sluggish), v => {
      expect(v).toBeGreaterThan(before.p95 + 0.9);
      expect(v).toBeLessThan(2.5);
    });
  });

  it("sends probe traffic to the preview Service's pods while the main Service's pods keep theirs", async () => {
    // Green next to the seeded blue checkout, as a blue-green release deploys it.
    const blue = cluster.store.get('apps/deployments', NS, 'checkout')!;
    const green = JSON.parse(JSON.stringify(blue.spec));
    green.replicas = 2;
    green.selector.matchLabels.version = 'green';
    green.template.metadata.labels.version = 'green';
    const created = await call(
      cluster,
      'POST',
      `/apis/apps/v1/namespaces/${NS}/deployments`,
      {
        metadata: {
          name: 'checkout-green',
          labels: { ...blue.metadata.labels, version: 'green' },
        },
        spec: green,
      },
    );
    expect(created.status).toBe(201);
    await cluster.waitForRollouts();
    const checkout = `namespace="${NS}",service="checkout"`;
    const byVersion = async () =>
      Object.fromEntries(
        (
          await prometheus.query(
            `sum by (version) (rate(http_requests_total{${checkout}}[5s]))`,
          )
        ).map(r => [r.metric.version, Number(r.value[1])]),
      );
    // The Service selects blue: green is idle.
    await eventually(async () => {
      const rates = await byVersion();
      expect(rates.green).toBe(0);
      expect(rates.blue).toBeGreaterThan(0);
    }, 60_000);
    expect(cluster.traffic.previewRps(NS, 'checkout')).toBe(0);

    const preview = await call(
      cluster,
      'POST',
      `/api/v1/namespaces/${NS}/services`,
      {
        metadata: {
          name: 'checkout-preview',
          labels: { 'backstage.io/kubernetes-id': 'checkout' },
        },
        spec: {
          selector: { app: 'checkout', version: 'green' },
          ports: [{ port: 80, targetPort: 8080 }],
        },
      },
    );
    expect(preview.status).toBe(201);
    const probes = cluster.traffic.previewRps(NS, 'checkout');
    const load = cluster.traffic.serviceRps(NS, 'checkout');
    expect(probes).toBeCloseTo(Math.max(2, load * 0.05), 0);

    await eventually(async () => {
      const rates = await byVersion();
      expect(Math.abs(rates.green - probes)).toBeLessThan(probes * 0.25);
      expect(Math.abs(rates.blue - load)).toBeLessThan(load * 0.2);
    }, 60_000);
    // Each green pod has series of its own, which a PromQL can single out.
    const greenPods = await prometheus.query(
      `sum by (pod) (rate(http_requests_total{${checkout},version="green"}[5s]))`,
    );
    expect(greenPods).toHaveLength(2);
    for (const { metric, value } of greenPods) {
      expect(metric.pod).toMatch(/^checkout-green-/);
      expect(Number(value[1])).toBeGreaterThan(0);
    }
  });
});
