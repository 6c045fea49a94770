import { Config } from '@backstage/config';
import type { ActionLimits } from '@nexus-cos/plugin-runbook-common';
import { AnalysisConfig, readAnalysisConfig } from './analysis/config';

/** `runbook.*` config with its defaults applied (see config.d.ts). */
export type RunbookConfig = {
  cluster?: string;
  /** The limits of an entity that has no annotations of its own. */
  defaults: ActionLimits;
  production: { minReplicas: number; healthWindowSeconds: number };
  engine: {
    lockTtlMs: number;
    janitorIntervalSeconds: number;
    pollIntervalMs: number;
    /** A cluster API call that takes longer fails (that cluster's, and nothing else). */
    clusterTimeoutMs: number;
  };
  audit: { anchorEvery: number; anchorIntervalSeconds: number };
  analysis: AnalysisConfig;
};

export function readRunbookConfig(root: Config): RunbookConfig {
  const c = root.getOptionalConfig('runbook');
  const num = (key: string, fallback: number) =>
    c?.getOptionalNumber(key) ?? fallback;
  return {
    cluster: c?.getOptionalString('cluster'),
    defaults: {
      replicas: {
        min: num('defaults.replicas.min', 1),
        max: num('defaults.replicas.max', 10),
      },
      imageRepository: c?.getOptionalString('defaults.imageRepository'),
      resources: {
        maxCpu: c?.getOptionalString('defaults.resources.maxCpu') ?? '4',
        maxMemory:
          c?.getOptionalString('defaults.resources.maxMemory') ?? '8Gi',
      },
      rolloutTimeoutSeconds: num('defaults.rolloutTimeoutSeconds', 300),
      healthWindowSeconds: num('defaults.healthWindowSeconds', 0),
      blueGreenMonitorSeconds: num('defaults.blueGreenMonitorSeconds', 300),
    },
    production: {
      minReplicas: num('production.minReplicas', 2),
      healthWindowSeconds: num('production.healthWindowSeconds', 60),
    },
    engine: {
      lockTtlMs: num('engine.lockTtlSeconds', 60) * 1000,
      janitorIntervalSeconds: num('engine.janitorIntervalSeconds', 30),
      pollIntervalMs: num('engine.pollIntervalMs', 1000),
      clusterTimeoutMs: num('engine.clusterTimeoutSeconds', 30) * 1000,
    },
    audit: {
      anchorEvery: num('audit.anchorEvery', 100),
      anchorIntervalSeconds: num('audit.anchorIntervalSeconds', 900),
    },
    analysis: readAnalysisConfig(root),
  };
}
