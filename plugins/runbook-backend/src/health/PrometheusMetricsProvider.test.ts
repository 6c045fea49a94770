import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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
      const metrics = await provider(prom.url).getMetrics(target, {
        series: true,
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
