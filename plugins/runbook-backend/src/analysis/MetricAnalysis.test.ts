import type { ServiceMetrics } from '@nexus-cos/plugin-runbook-common';
import type { RunbookMetricsProvider } from '@nexus-cos/plugin-runbook-node';
import { AnalysisFailedError, MetricAnalysis } from './MetricAnalysis';

/** A provider that answers the given values in turn (the last one from then on). */
function provider(values: Array<ServiceMetrics['current']>) {
  let i = 0;
  const getMetrics = jest.fn(
    async (): Promise<ServiceMetrics> => ({
      source: 'test',
      current: values[Math.min(i++, values.length - 1)],
      series: {},
    }),
  );
  return { id: 'test', getMetrics } satisfies RunbookMetricsProvider;
}

const config = {
  thresholds: { errorRatio: 0.05, latencyP95Seconds: 0.5 },
  intervalSeconds: 0.01,
  failureLimit: 2,
  rateWindow: '5s',
  previewSeconds: 1,
};
const target = {
  entityRef: 'component:default/pay',
  cluster: 'sandbox',
  namespace: 'nexus-pay',
  service: 'pay',
  pods: 'pay-abc-.+',
};
const watch = (analysis: MetricAnalysis, extra: object = {}) =>
  analysis.watch({
    target,
    subject: 'new pods of pay',
    seconds: 0.1,
    thresholds: config.thresholds,
    signal: new AbortController().signal,
    log: async () => {},
    report: () => {},
    ...extra,
  });

describe('MetricAnalysis', () => {
  it('asks for fresh values of the new pods over its own rate window', async () => {
    const metrics = provider([
      { errorRatio: 0.01, latencyP95Seconds: 0.1, requestsPerSecond: 5 },
    ]);
    const report = await watch(new MetricAnalysis({ metrics, config }));
    expect(report.verdict).toBe('pass');
    expect(metrics.getMetrics).toHaveBeenCalledWith(target, {
      series: false,
      only: ['errorRatio', 'latencyP95Seconds', 'requestsPerSecond'],
      fresh: true,
      window: '5s',
    });
  });

  it('aborts after failureLimit failed samples in a row, not after scattered ones', async () => {
    const bad = {
      errorRatio: 0.3,
      latencyP95Seconds: 0.1,
      requestsPerSecond: 5,
    };
    const good = {
      errorRatio: 0,
      latencyP95Seconds: 0.1,
      requestsPerSecond: 5,
    };
    const scattered = provider([bad, good, bad, good, bad, good, good]);
    const reports: unknown[] = [];
    await expect(
      watch(new MetricAnalysis({ metrics: scattered, config }), {
        report: (r: unknown) => reports.push(r),
      }),
    ).resolves.toMatchObject({ verdict: 'pass' });
    const twice = provider([good, bad, bad]);
    await expect(
      watch(new MetricAnalysis({ metrics: twice, config }), { seconds: 5 }),
    ).rejects.toThrow(
      new AnalysisFailedError(
        'Metric analysis failed: error ratio 30.0% above 5.0% in 2 samples in a row',
      ),
    );
    expect(reports.length).toBeGreaterThan(0);
  });

  it('passes samples without traffic, and loosens the limits to a multiple of the baseline', async () => {
    const quiet = provider([{ errorRatio: 0.9, requestsPerSecond: 0 }]);
    const report = await watch(new MetricAnalysis({ metrics: quiet, config }));
    expect(report.samples[0]).toMatchObject({
      ok: true,
      why: 'no traffic yet',
    });

    const noisy = provider([
      { errorRatio: 0.08, latencyP95Seconds: 0.6, requestsPerSecond: 5 },
    ]);
    const relative = await watch(
      new MetricAnalysis({ metrics: noisy, config }),
      {
        thresholds: { ...config.thresholds, baselineFactor: 2 },
        baseline: { errorRatio: 0.05, latencyP95Seconds: 0.4 },
      },
    );
    expect(relative).toMatchObject({
      verdict: 'pass',
      limits: { errorRatio: 0.1, latencyP95Seconds: 0.8 },
      baseline: { errorRatio: 0.05, latencyP95Seconds: 0.4 },
    });
  });
});
