import { Config } from '@backstage/config';
import { HealthThresholds } from './deriveHealth';
import { WatchSettings } from './ClusterCache';
import { UserReadSettings } from './UserClusterReads';

/** `runbook.health.*` with defaults applied (see config.d.ts). */
export type HealthConfig = {
  thresholds: HealthThresholds;
  watch: WatchSettings;
  userReads: UserReadSettings;
};

export function readHealthConfig(root: Config): HealthConfig {
  const c = root.getOptionalConfig('runbook.health');
  const num = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!(value >= 0))
      throw new Error(`runbook.health.${key} must be at least 0`);
    return value;
  };
  return {
    thresholds: {
      errorRatio: num('thresholds.errorRatio', 0.05),
      latencyP99Seconds: num('thresholds.latencyP99Seconds', 1),
      resourceUtilization: num('thresholds.resourceUtilization', 0.9),
      restartCount: num('thresholds.restartCount', 5),
      podStartSeconds: num('thresholds.podStartSeconds', 300),
    },
    watch: {
      backoff: {
        initialMs: num('watch.initialBackoffMs', 250),
        maxMs: num('watch.maxBackoffMs', 30_000),
      },
      watchTimeoutSeconds: num('watch.timeoutSeconds', 300),
      maxEvents: num('watch.maxEvents', 5000),
      requestTimeoutMs: Math.max(1, num('watch.requestTimeoutMs', 10_000)),
      silenceMs: Math.max(1000, num('watch.silenceSeconds', 90) * 1000),
    },
    userReads: {
      ttlMs: num('userReads.ttlMs', 5000),
      maxEntries: Math.max(1, num('userReads.maxEntries', 1000)),
      concurrency: Math.max(1, num('userReads.concurrency', 8)),
      maxEvents: Math.max(1, num('userReads.maxEvents', 500)),
      timeoutMs: Math.max(1, num('userReads.timeoutMs', 5000)),
    },
  };
}
