import { resourceByKind } from '../api/resources';
import { SandboxCluster } from '../startSandboxCluster';
import { TestPrometheus, startPrometheus } from './prometheus';
import { eventually, setLoadInReplicas, startTestCluster } from './testCluster';

/**
 * A real Prometheus scrapes the sandbox every second; the assertions are PromQL
 * results, as the health engine and the runbook's alert responses would see them.
 */
jest.setTimeout(120_000);

const NS = 'nexus-shop';
const sel = (service: string) => `namespace="${NS}",service="${service}"`;
const p95 = (service: string) =>
  `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel(
    service,
  )}}[5s])))`;
const requestRate = (service: string) =>
  `sum(rate(http_requests_total{${sel(service)}}[5s]))`;
const errorRatio = (service: string) =>
  `sum(rate(http_requests_total{${sel(
    service,
  )},code=~"5.."}[5s])) / ${requestRate(service)}`;

describe('traffic observed by Prometheus', () => {
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

  it('serves request rate, error rate, p95, resources and business series per pod', async () => {
    // Prometheus sees what the model serves, once its 5 s window has filled.
    await valueOf(requestRate('checkout'), v => {
      const served = cluster.traffic.serviceRps(NS, 'checkout');
      expect(Math.abs(v - served)).toBeLessThan(served * 0.2);
    });
    await valueOf(errorRatio('checkout'), v => expect(v).toBeLessThan(0.05));
    await valueOf(p95('checkout'), v => {
      expect(v).toBeGreaterThan(0.005);
      expect(v).toBeLessThan(1);
    });

    const pods = await prometheus.query(
      `sum by (pod) (rate(container_cpu_usage_seconds_total{${sel(
        'checkout',
      )}}[5s]))`,
    );
    expect(pods).toHaveLength(3);
    for (const name of [
      'http_active_connections',
      'container_memory_working_set_bytes',
      'nexus_user_sessions',
    ])
      await valueOf(`sum(${name}{${sel('checkout')}})`, v =>
        expect(v).toBeGreaterThan(0),
      );
    for (const name of [
      'container_network_receive_bytes_total',
      'container_network_transmit_bytes_total',
      'container_fs_writes_bytes_total',
      'nexus_transactions_total',
      'nexus_revenue_total',
      'nexus_content_downloads_total',
    ])
      await valueOf(`sum(rate(${name}{${sel('checkout')}}[5s]))`, v =>
        expect(v).toBeGreaterThan(0),
      );
  });

  it('raises p95 when a loaded service is scaled down to one replica', async () => {
    // One and a half replicas' worth: three pods at half their capacity, one alone
    // overloaded, at whatever hour the clock is pinned.
    setLoadInReplicas(cluster, NS, 'checkout', 1.5);
    // Let the 5 s window fill with the new load at three replicas.
    await eventually(async () => {
      const served = await prometheus.scalar(requestRate('checkout'));
      if (!(served! > cluster.traffic.serviceRps(NS, 'checkout') * 0.8))
        throw new Error(`rate ${served} has not caught up with the load yet`);
    }, 60_000);
    const before = await valueOf(p95('checkout'), v =>
      expect(v).toBeGreaterThan(0),
    );

    cluster.api.updateScale(
      resourceByKind('Deployment'),
      NS,
      'checkout',
      s => ({
        ...s,
        spec: { replicas: 1 },
      }),
    );
    await valueOf(p95('checkout'), v => expect(v).toBeGreaterThan(before * 2));
    cluster.traffic.setLoadFactor('checkout', 1, NS);
  });

  it('shows an injected error spike in the error rate, and returns to baseline when cleared', async () => {
    await valueOf(errorRatio('cart'), v => expect(v).toBeLessThan(0.05));
    const fault = cluster.faults.add({
      kind: 'error-spike',
      service: 'cart',
      rate: 0.3,
    });
    await valueOf(errorRatio('cart'), v => {
      expect(v).toBeGreaterThan(0.2);
      expect(v).toBeLessThan(0.4);
    });
    cluster.faults.remove(fault.id);
    await valueOf(errorRatio('cart'), v => expect(v).toBeLessThan(0.05));
  });

  it('adds a latency spike to p95, and takes it away when cleared', async () => {
    const before = await valueOf(p95('cart'), v =>
      expect(v).toBeGreaterThan(0),
    );
    const fault = cluster.faults.add({
      kind: 'latency-spike',
      service: 'cart',
      latencyMs: 800,
    });
    await valueOf(p95('cart'), v => expect(v).toBeGreaterThan(before + 0.5));
    cluster.faults.remove(fault.id);
    await valueOf(p95('cart'), v => expect(v).toBeLessThan(before * 1.5));
  });

  it('serves nothing while a service is down, and recovers when cleared', async () => {
    const searchRate =
      'sum(rate(http_requests_total{namespace="default",service="search"}[5s]))';
    await valueOf(searchRate, v => expect(v).toBeGreaterThan(0));
    const fault = cluster.faults.add({ kind: 'down', service: 'search' });
    await valueOf(searchRate, v => expect(v).toBe(0));
    cluster.faults.remove(fault.id);
    await valueOf(searchRate, v => expect(v).toBeGreaterThan(0));
  });
});
