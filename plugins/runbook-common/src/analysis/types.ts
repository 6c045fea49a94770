/**
 * What a service's golden signals must stay within, in diagnostics and in the analysis
 * of rollouts and switches. With `baselineFactor`, a sample may also reach that multiple
 * of what the service measured before the change (for services that are noisy anyway).
 * @public
 */
export type MetricThresholds = {
  errorRatio: number;
  latencyP95Seconds: number;
  baselineFactor?: number;
};

/** One sample of a metric analysis. @public */
export type AnalysisSample = {
  at: string;
  errorRatio?: number;
  latencyP95Seconds?: number;
  requestsPerSecond?: number;
  /** Whether the sample is within the limits; a sample without traffic passes. */
  ok: boolean;
  /** Why it failed, naming the metric and the limit. */
  why?: string;
};

/**
 * The `result` of a rollout, blue-green deploy or switch that was analysed: the samples
 * of the new pods against the limits, and the verdict. `skipped` when no metrics
 * provider answers; the run then watched readiness only.
 * @public
 */
export type AnalysisReport = {
  kind: 'analysis';
  verdict: 'pass' | 'fail' | 'skipped';
  /** What was measured, e.g. "new pods of payments (payments-7d4f9c)". */
  subject: string;
  /** The limits each sample was held to (after the baseline factor). */
  limits: { errorRatio: number; latencyP95Seconds: number };
  /** The service before the change, when a baseline factor applies. */
  baseline?: { errorRatio?: number; latencyP95Seconds?: number };
  /** Consecutive failed samples that abort the change. */
  failureLimit: number;
  samples: AnalysisSample[];
  reason?: string;
};
