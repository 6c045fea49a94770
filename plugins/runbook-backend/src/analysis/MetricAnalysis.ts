import type {
  AnalysisReport,
  AnalysisSample,
  MetricThresholds,
} from '@nexus-cos/plugin-runbook-common';
import type {
  MetricsTarget,
  RunbookMetricsProvider,
} from '@nexus-cos/plugin-runbook-node';
import { sleep } from '../kubernetes/rollout';
import type { AnalysisConfig } from './config';

const SIGNALS = [
  'errorRatio',
  'latencyP95Seconds',
  'requestsPerSecond',
] as const;
type Values = Pick<AnalysisSample, (typeof SIGNALS)[number]>;

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

/** Thrown when the samples fail too often: the change is rolled back. */
export class AnalysisFailedError extends Error {
  name = 'AnalysisFailedError';
}

/**
 * Metric analysis of a change, as Argo Rollouts' AnalysisRuns do it: the new pods'
 * error ratio and p95 latency, sampled every interval against the service's limits;
 * too many failures in a row abort the change.
 */
export class MetricAnalysis {
  constructor(
    private readonly o: {
      metrics?: RunbookMetricsProvider;
      config: AnalysisConfig;
    },
  ) {}

  /** Whether there is a metrics provider to analyse with. */
  get available(): boolean {
    return this.o.metrics !== undefined;
  }

  /** How long blue-green-deploy analyses the new colour. */
  get previewSeconds(): number {
    return this.o.config.previewSeconds;
  }

  /** The service's values now, before a change: what a baseline factor multiplies. */
  async baseline(target: MetricsTarget): Promise<Values | undefined> {
    return this.#sample(target);
  }

  /**
   * Samples the pods of `target` for `seconds`; resolves to the report when the limits
   * held, throws {@link AnalysisFailedError} when `failureLimit` samples in a row did
   * not. Every sample goes to the run log; `report` keeps the samples either way.
   */
  async watch(options: {
    target: MetricsTarget;
    subject: string;
    seconds: number;
    thresholds: MetricThresholds;
    baseline?: Values;
    signal: AbortSignal;
    log(message: string, level?: 'info' | 'warn' | 'error'): Promise<void>;
    report(result: AnalysisReport): void;
  }): Promise<AnalysisReport> {
    const { thresholds, baseline } = options;
    const { intervalSeconds, failureLimit } = this.o.config;
    const factor = thresholds.baselineFactor;
    const limits = {
      errorRatio: Math.max(
        thresholds.errorRatio,
        factor && baseline?.errorRatio ? baseline.errorRatio * factor : 0,
      ),
      latencyP95Seconds: Math.max(
        thresholds.latencyP95Seconds,
        factor && baseline?.latencyP95Seconds
          ? baseline.latencyP95Seconds * factor
          : 0,
      ),
    };
    const report: AnalysisReport = {
      kind: 'analysis',
      verdict: 'pass',
      subject: options.subject,
      limits,
      ...(factor && baseline ? { baseline } : {}),
      failureLimit,
      samples: [],
    };
    await options.log(
      `Metric analysis of ${options.subject} for ${
        options.seconds
      } s: error ratio at most ${pct(limits.errorRatio)}, p95 at most ${ms(
        limits.latencyP95Seconds,
      )}`,
    );
    const until = Date.now() + options.seconds * 1000;
    let failedInARow = 0;
    do {
      await sleep(
        Math.max(0, Math.min(intervalSeconds * 1000, until - Date.now())),
        options.signal,
      );
      const values = await this.#sample(options.target);
      const sample = judge(values ?? {}, limits, values === undefined);
      report.samples.push(sample);
      options.report(report);
      failedInARow = sample.ok ? 0 : failedInARow + 1;
      await options.log(
        `Sample ${report.samples.length}: ${describe(sample)}`,
        sample.ok ? 'info' : 'warn',
      );
      if (failedInARow >= failureLimit) {
        report.verdict = 'fail';
        report.reason = `${sample.why} in ${failedInARow} samples in a row`;
        options.report(report);
        throw new AnalysisFailedError(
          `Metric analysis failed: ${report.reason}`,
        );
      }
    } while (Date.now() < until);
    await options.log(
      `Metric analysis passed: ${report.samples.length} samples within the limits`,
    );
    return report;
  }

  async #sample(target: MetricsTarget): Promise<Values | undefined> {
    const metrics = await this.o.metrics!.getMetrics(target, {
      series: false,
      only: [...SIGNALS],
      fresh: true,
      window: this.o.config.rateWindow,
    });
    if (metrics.unavailable) return undefined;
    return Object.fromEntries(
      SIGNALS.flatMap(s =>
        metrics.current[s] === undefined ? [] : [[s, metrics.current[s]]],
      ),
    );
  }
}

/** A sample against the limits; without traffic or an answer there is nothing to fail. */
function judge(
  values: Values,
  limits: AnalysisReport['limits'],
  unanswered: boolean,
): AnalysisSample {
  const at = new Date().toISOString();
  if (unanswered) return { at, ok: true, why: 'metrics did not answer' };
  if (!values.requestsPerSecond) {
    return { at, ...values, ok: true, why: 'no traffic yet' };
  }
  if (
    values.errorRatio !== undefined &&
    values.errorRatio > limits.errorRatio
  ) {
    return {
      at,
      ...values,
      ok: false,
      why: `error ratio ${pct(values.errorRatio)} above ${pct(
        limits.errorRatio,
      )}`,
    };
  }
  if (
    values.latencyP95Seconds !== undefined &&
    values.latencyP95Seconds > limits.latencyP95Seconds
  ) {
    return {
      at,
      ...values,
      ok: false,
      why: `p95 ${ms(values.latencyP95Seconds)} above ${ms(
        limits.latencyP95Seconds,
      )}`,
    };
  }
  return { at, ...values, ok: true };
}

function describe(sample: AnalysisSample): string {
  const parts = [
    sample.errorRatio === undefined
      ? undefined
      : `errors ${pct(sample.errorRatio)}`,
    sample.latencyP95Seconds === undefined
      ? undefined
      : `p95 ${ms(sample.latencyP95Seconds)}`,
    sample.requestsPerSecond === undefined
      ? undefined
      : `${sample.requestsPerSecond.toFixed(1)} req/s`,
  ].filter(Boolean);
  return `${parts.join(', ') || 'no data'}: ${sample.ok ? 'ok' : 'FAIL'}${
    sample.why ? ` (${sample.why})` : ''
  }`;
}
