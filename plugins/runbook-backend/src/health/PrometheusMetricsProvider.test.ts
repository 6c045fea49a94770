import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ServiceMetrics } from '@nexus-cos/plugin-runbook-common';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import { startPrometheusStandIn } from './__testUtils__/prometheusStandIn';

const vector = (value: string) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: [{ metric: {}, value: [1764244800, value] }],
  },
});
const matrix = (values: Array<[number, string]>) => ({
  status: 'success',
  data: { resultType: 'matrix', result: [{ metric: {}, values }] },
});
const empty = { status: 'success', data: { resultType: 'vector', result: [] } };
const target = {
  entityRef: 'component:default/media-upload',
  cluster: 'sandbox',
  namespace: 'nexus-media',
  service: 'media-upload',
};
const provider = (baseUrl: string, extra: Record<string, unknown> = {}) =>
  PrometheusMetricsProvider.fromConfig(
    new ConfigReader({
      runbook: {
        metrics: { prometheus: { baseUrl, rateWindow: '5s', ...extra } },
      },
    }),
    mockServices.logger.mock(),
  )!;

describe('PrometheusMetricsProvider', () => {
  it('is absent without a baseUrl', () => {
    expect(
      PrometheusMetricsProvider.fromConfig(
        new ConfigReader({}),
        mockServices.logger.mock(),
      ),
    ).toBeUndefined();
  });

  it('runs the templates with the service filled in and parses vectors and matrices', async () => {
    const prom = await startPrometheusStandIn((query, path) => {
      if (query.includes('nexus_revenue_total')) return empty;
      if (path.endsWith('query_range'))
        return matrix([
          [1, '0.5'],
          [61, 'NaN'],
          [121, '0.25'],
        ]);
      if (query.startsWith('histogram_quantile(0.99')) return vector('0.42');
      if (query.includes('code=~"5.."')) return vector('0.125');
      return vector('7');
    });
    try {
      // Fresh reads (the analysis of a rollout) run the per-service templates.
      const metrics = await provider(prom.url).getMetrics(target, {
        series: true,
        fresh: true,
      });
      expect(metrics.source).toBe('prometheus');
      expect(metrics.unavailable).toBeUndefined();
      expect(metrics.current).toMatchObject({
        errorRatio: 0.125,
        latencyP99Seconds: 0.42,
        requestsPerSecond: 7,
      });
      // Business metrics only where the service has them.
      expect(metrics.current).not.toHaveProperty('revenuePerSecond');
      expect(Object.keys(metrics.current)).toHaveLength(16);
      expect(metrics.series.errorRatio).toEqual([
        [1, 0.5],
        [121, 0.25],
      ]);
      // A series for every metric the service has, the business ones included.
      expect(Object.keys(metrics.series).sort()).toEqual(
        Object.keys(metrics.current).sort(),
      );
      expect(metrics.series).toHaveProperty('uploadsPerSecond');
      const errorQuery = prom.queries.find(
        q => q.path === '/api/v1/query' && q.query.includes('code=~"5.."'),
      )!;
      expect(errorQuery.query).toBe(
        'sum(rate(http_requests_total{namespace="nexus-media",service="media-upload",code=~"5.."}[5s])) / sum(rate(http_requests_total{namespace="nexus-media",service="media-upload"}[5s]))',
      );
      const range = prom.queries.find(q => q.path === '/api/v1/query_range')!;
      expect(
        Number(range.params.get('end')) - Number(range.params.get('start')),
      ).toBe(3600);
      expect(range.params.get('step')).toBe('60');
    } finally {
      await prom.stop();
    }
  });

  it('takes query templates from config and keeps label values inside their quotes', async () => {
    const prom = await startPrometheusStandIn(() => vector('1'));
    try {
      await provider(prom.url, {
        queries: {
          requestsPerSecond:
            'sum(rate(requests{app="{{service}}"}[{{window}}]))',
        },
      }).getMetrics(
        { ...target, service: 'evil"}) or vector(1' },
        { series: false },
      );
      expect(prom.queries.map(q => q.query)).toContain(
        'sum(rate(requests{app="evil\\"}) or vector(1"}[5s]))',
      );
    } finally {
      await prom.stop();
    }
  });

  it('asks only for the metrics named in only', async () => {
    const prom = await startPrometheusStandIn(() => vector('0.5'));
    try {
      const metrics = await provider(prom.url).getMetrics(target, {
        series: false,
        only: ['errorRatio', 'latencyP99Seconds'],
        fresh: true,
      });
      expect(metrics.current).toEqual({
        errorRatio: 0.5,
        latencyP99Seconds: 0.5,
      });
      expect(prom.queries).toHaveLength(2);
    } finally {
      await prom.stop();
    }
  });

  it('answers from its cache within cacheSeconds', async () => {
    const prom = await startPrometheusStandIn(() => vector('1'));
    try {
      const p = provider(prom.url, { cacheSeconds: 60 });
      await p.getMetrics(target, { series: false });
      const asked = prom.queries.length;
      await p.getMetrics(target, { series: false });
      expect(prom.queries.length).toBe(asked);
    } finally {
      await prom.stop();
    }
  });

  it('says Prometheus did not answer when every query times out or fails', async () => {
    const slow = await startPrometheusStandIn(() => vector('1'), 500);
    const failing = await startPrometheusStandIn(() => ({
      status: 'error',
      errorType: 'bad_data',
      error: 'parse error at char 5',
    }));
    try {
      const timedOut = await provider(slow.url, {
        queryTimeoutMs: 50,
      }).getMetrics(target, { series: false });
      expect(timedOut.current).toEqual({});
      expect(timedOut.unavailable).toMatch(
        /^metrics: Prometheus at http:\/\/127\.0\.0\.1:\d+ did not answer \(.*(timeout|aborted).*\)$/i,
      );
      const failed = await provider(failing.url).getMetrics(target, {
        series: false,
      });
      expect(failed.unavailable).toContain('(parse error at char 5)');
    } finally {
      await slow.stop();
      await failing.stop();
    }
  });
});

describe('PrometheusMetricsProvider for page views: every service in one batch', () => {
  jest.setTimeout(20_000);
  const services = ['media-upload', 'media-transcode', 'cart'];
  /** The newest step of the last hour's series (default step: 60 s), fixed per test. */
  let step = 0;
  beforeEach(() => {
    step = Math.floor(Date.now() / 60_000) * 60;
  });
  /** One series per service, as `sum by (namespace, service)` answers. */
  const perService = (value: (service: string) => string, range: boolean) => ({
    status: 'success',
    data: {
      resultType: range ? 'matrix' : 'vector',
      result: services.map(service => ({
        metric: { namespace: 'nexus-media', service },
        ...(range
          ? { values: [[step, value(service)]] }
          : { value: [1764244800, value(service)] }),
      })),
    },
  });
  const answer = (query: string, path: string) =>
    perService(
      s => (query.includes('code=~"5.."') ? '0.01' : String(s.length)),
      path.endsWith('query_range'),
    );

  it('asks one PromQL per metric grouped by service, however many services are read', async () => {
    const prom = await startPrometheusStandIn(answer);
    const p = provider(prom.url, { cacheSeconds: 60 });
    try {
      const read = [];
      for (const service of [...services, ...services]) {
        read.push({
          service,
          metrics: await p.getMetrics({ ...target, service }, { series: true }),
        });
      }
      const instant = prom.queries.filter(q => q.path === '/api/v1/query');
      // The series are the hour's steps, then the current value at the instant asked.
      const asked = Number(instant[0].params.get('time'));
      for (const { service, metrics } of read) {
        expect(metrics.unavailable).toBeUndefined();
        expect(metrics.current.requestsPerSecond).toBe(service.length);
        expect(metrics.current.errorRatio).toBe(0.01);
        expect(metrics.series.requestsPerSecond).toEqual([
          [step, service.length],
          ...(asked > step ? [[asked, service.length]] : []),
        ]);
      }
      const ranges = prom.queries.filter(q => q.path === '/api/v1/query_range');
      expect([instant.length, ranges.length]).toEqual([17, 17]);
      expect(instant.map(q => q.query)).toContain(
        'sum by (namespace, service) (rate(http_requests_total{code=~"5.."}[5s])) / sum by (namespace, service) (rate(http_requests_total[5s]))',
      );
      expect(prom.queries.some(q => q.query.includes('media-upload'))).toBe(
        false,
      );
    } finally {
      p.stop();
      await prom.stop();
    }
  });

  it('keeps page views off Prometheus once the first batch is in', async () => {
    const prom = await startPrometheusStandIn(answer);
    const p = provider(prom.url, { cacheSeconds: 1 });
    try {
      p.start();
      await p.getMetrics(target, { series: true }); // the first batch, once
      // Prometheus now takes the next refresh and does not answer it.
      prom.hold();
      const asked = prom.queries.length;
      while (prom.queries.length === asked) {
        await new Promise(r => setTimeout(r, 50));
      }
      const metrics = await p.getMetrics(
        { ...target, service: 'cart' },
        { series: true },
      );
      expect(metrics.current.requestsPerSecond).toBe(4);
      expect(prom.pending()).toBeGreaterThan(0);
    } finally {
      p.stop();
      await prom.stop();
    }
  });

  it('extends the series by the steps that passed, without asking for the hour again', async () => {
    const prom = await startPrometheusStandIn(answer);
    const p = provider(prom.url, { cacheSeconds: 60, seriesStepSeconds: 1 });
    try {
      await p.getMetrics(target, { series: true });
      const first = prom.queries.find(q => q.path === '/api/v1/query_range')!;
      const firstEnd = Number(first.params.get('end'));
      expect(firstEnd - Number(first.params.get('start'))).toBe(3600);
      await new Promise(r => setTimeout(r, 1_100));
      const asked = prom.queries.length;
      await p.refresh();
      const next = prom.queries
        .slice(asked)
        .find(q => q.path === '/api/v1/query_range')!;
      expect(Number(next.params.get('start'))).toBe(firstEnd + 1);
      expect(Number(next.params.get('end'))).toBeGreaterThan(firstEnd);
    } finally {
      p.stop();
      await prom.stop();
    }
  });

  it('says the metrics are unavailable when Prometheus stops answering, not stale values', async () => {
    let down = false;
    const prom = await startPrometheusStandIn((query, path) =>
      down
        ? { status: 'error', errorType: 'unavailable', error: 'shutting down' }
        : answer(query, path),
    );
    // Long enough that only Prometheus's own error ends a query; stale after 5 s.
    const p = provider(prom.url, { cacheSeconds: 0.2, queryTimeoutMs: 1_000 });
    try {
      expect(
        (await p.getMetrics(target, { series: false })).current,
      ).toHaveProperty('requestsPerSecond');
      down = true;
      let metrics: ServiceMetrics;
      const deadline = Date.now() + 10_000;
      do {
        await new Promise(r => setTimeout(r, 100));
        metrics = await p.getMetrics(target, { series: false });
      } while (!metrics.unavailable && Date.now() < deadline);
      expect(metrics.unavailable).toContain('(shutting down)');
      expect(metrics.current).toEqual({});
    } finally {
      p.stop();
      await prom.stop();
    }
  });
});
