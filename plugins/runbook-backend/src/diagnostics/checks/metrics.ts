import {
  DiagnosticCheck,
  MetricThresholds,
  RESPONSE_CHECKLISTS,
  ServiceHealth,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookTarget } from '@nexus-cos/plugin-runbook-node';

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;

/**
 * The golden signals against the thresholds: error ratio and p95 latency. Undefined when
 * there are no metrics (Prometheus not configured), which the report notes instead.
 */
export function metricsCheck(
  target: RunbookTarget,
  health: ServiceHealth,
  thresholds: MetricThresholds | undefined,
): DiagnosticCheck | undefined {
  const { current } = health.metrics;
  if (health.metrics.unavailable || !thresholds) return undefined;
  const errors = current.errorRatio;
  const p95 = current.latencyP95Seconds;
  const highErrors = errors !== undefined && errors > thresholds.errorRatio;
  const slow = p95 !== undefined && p95 > thresholds.latencyP95Seconds;
  const evidence = [
    errors === undefined
      ? 'Error ratio: no data'
      : `Error ratio ${pct(errors)} (threshold ${pct(thresholds.errorRatio)})`,
    p95 === undefined
      ? 'p95 latency: no data'
      : `p95 latency ${ms(p95)} (threshold ${ms(
          thresholds.latencyP95Seconds,
        )})`,
  ];
  const base = {
    id: 'metrics',
    entityRef: target.entityRef,
    title: 'Golden signals',
    evidence,
  };
  if (highErrors) {
    return {
      ...base,
      status: 'fail',
      troubleshooting: {
        ...RESPONSE_CHECKLISTS.highErrorRate(target),
        fixAction: 'rollback',
      },
    };
  }
  if (slow) {
    return {
      ...base,
      status: 'fail',
      troubleshooting: {
        ...RESPONSE_CHECKLISTS.highLatency(target),
        fixAction: 'scale',
      },
    };
  }
  return { ...base, status: 'ok' };
}
