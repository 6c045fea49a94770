import { Config } from '@backstage/config';

/** What a service's metrics must stay within: for diagnostics and rollout analysis. */
export type MetricThresholds = {
  /** Highest share of 5xx responses. Default 0.05. */
  errorRatio: number;
  /** Highest p95 latency in seconds. Default 0.5. */
  latencyP95Seconds: number;
};

/** `runbook.analysis.thresholds`, with defaults applied (see config.d.ts). */
export function readMetricThresholds(root: Config): MetricThresholds {
  const c = root.getOptionalConfig('runbook.analysis.thresholds');
  return {
    errorRatio: c?.getOptionalNumber('errorRatio') ?? 0.05,
    latencyP95Seconds: c?.getOptionalNumber('latencyP95Seconds') ?? 0.5,
  };
}
