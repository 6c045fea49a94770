import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { MetricThresholds } from '@nexus-cos/plugin-runbook-common';

/** `runbook.analysis.*` with defaults applied (see config.d.ts). */
export type AnalysisConfig = {
  thresholds: MetricThresholds;
  intervalSeconds: number;
  failureLimit: number;
  rateWindow: string;
  previewSeconds: number;
};

export function readAnalysisConfig(root: Config): AnalysisConfig {
  const c = root.getOptionalConfig('runbook.analysis');
  const t = c?.getOptionalConfig('thresholds');
  const baselineFactor = t?.getOptionalNumber('baselineFactor');
  return {
    thresholds: {
      errorRatio: t?.getOptionalNumber('errorRatio') ?? 0.05,
      latencyP95Seconds: t?.getOptionalNumber('latencyP95Seconds') ?? 0.5,
      ...(baselineFactor === undefined ? {} : { baselineFactor }),
    },
    intervalSeconds: c?.getOptionalNumber('intervalSeconds') ?? 10,
    failureLimit: Math.max(1, c?.getOptionalNumber('failureLimit') ?? 3),
    rateWindow: c?.getOptionalString('rateWindow') ?? '30s',
    previewSeconds: c?.getOptionalNumber('previewSeconds') ?? 60,
  };
}

const KEYS = ['errorRatio', 'latencyP95Seconds', 'baselineFactor'] as const;

/**
 * A service's thresholds: config's, with its `nexus-cos.io/analysis` annotation
 * ("errorRatio=0.02,latencyP95Seconds=0.4,baselineFactor=2") over them.
 */
export function thresholdsFor(
  defaults: MetricThresholds,
  annotation: string | undefined,
): MetricThresholds {
  if (!annotation) return defaults;
  const thresholds: MetricThresholds = { ...defaults };
  for (const pair of annotation.split(',')) {
    const [key, value] = pair.split('=').map(s => s.trim());
    const number = Number(value);
    if (!(KEYS as readonly string[]).includes(key) || !(number >= 0)) {
      throw new InputError(
        `nexus-cos.io/analysis must be ${KEYS.map(k => `${k}=<number>`).join(
          ',',
        )}; "${pair}" is not`,
      );
    }
    thresholds[key as (typeof KEYS)[number]] = number;
  }
  return thresholds;
}
