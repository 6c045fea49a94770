import { LATENCY_SIGMA } from './podSignals';

/** Upper bounds (`le`) of `http_request_duration_seconds`, Prometheus client defaults. */
export const LATENCY_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

// Abramowitz and Stegun 7.1.26; absolute error below 1.5e-7.
function erf(x: number) {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) *
      t +
      0.254829592) *
      t *
      Math.exp(-x * x);
  return sign * y;
}

/**
 * Share of requests at or below each bucket bound, for latency that is log-normal around
 * `queueMedian` plus `added` seconds every request pays (an injected latency spike or a
 * slow image): adding a constant shifts the whole distribution, so p95 rises by `added`.
 */
export function bucketShares(queueMedian: number, added = 0): number[] {
  const mu = Math.log(queueMedian);
  return LATENCY_BUCKETS.map(le =>
    le <= added
      ? 0
      : 0.5 *
        (1 + erf((Math.log(le - added) - mu) / (LATENCY_SIGMA * Math.SQRT2))),
  );
}

/** Mean of that distribution. */
export function meanLatency(queueMedian: number, added = 0) {
  return queueMedian * Math.exp((LATENCY_SIGMA * LATENCY_SIGMA) / 2) + added;
}
