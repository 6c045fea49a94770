import type { PodMetricsList } from '@kubernetes/client-node';
import {
  DiagnosticCheck,
  DiagnosticStatus,
  RESPONSE_CHECKLISTS,
  parseCpuMillis,
  parseMemoryBytes,
} from '@nexus-cos/plugin-runbook-common';
import { apiErrorMessage } from '../../kubernetes/KubernetesClients';
import { CheckContext, appSelector, statusOfShare } from './context';

/** Usage at or above these shares of the limit warns, then fails. */
const WARN_AT = 0.8;
const FAIL_AT = 0.9;

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** metrics-server writes CPU in nanocores ("123456789n") or millicores. */
function usedCpuMillis(quantity: string): number {
  const m = /^(\d+)([nu])$/.exec(quantity);
  if (m) return Number(m[1]) / (m[2] === 'n' ? 1e6 : 1e3);
  return parseCpuMillis(quantity) ?? 0;
}
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;

/** "High Memory Usage": each pod's CPU and memory (`kubectl top`) against its limits. */
export async function resourcesCheck(
  ctx: CheckContext,
): Promise<DiagnosticCheck> {
  const { target } = ctx;
  const base = {
    id: 'resources',
    entityRef: target.entityRef,
    title: 'CPU and memory against limits',
  };
  const [pods, usage] = await Promise.all([
    ctx.cluster.core.listNamespacedPod({
      namespace: target.namespace,
      labelSelector: appSelector(ctx),
    }),
    ctx.cluster.metrics
      .getPodMetrics(target.namespace)
      .catch((error: unknown): Error | PodMetricsList =>
        error instanceof Error ? error : new Error(String(error)),
      ),
  ]);
  if (usage instanceof Error) {
    return {
      ...base,
      status: 'warn',
      evidence: [`metrics.k8s.io could not be read: ${apiErrorMessage(usage)}`],
    };
  }
  const evidence: string[] = [];
  let status: DiagnosticStatus = 'ok';
  let memoryHigh = false;
  for (const pod of pods.items) {
    const name = pod.metadata?.name;
    const used = usage.items.find(m => m.metadata.name === name);
    if (!used) continue;
    for (const container of pod.spec?.containers ?? []) {
      const u = used.containers.find(c => c.name === container.name)?.usage;
      const limits = container.resources?.limits;
      if (!u || !limits) continue;
      const memory = parseMemoryBytes(u.memory) ?? 0;
      const memoryLimit = limits.memory && parseMemoryBytes(limits.memory);
      const cpuMillis = usedCpuMillis(u.cpu);
      const cpuLimit = limits.cpu && parseCpuMillis(limits.cpu);
      const shares: Array<[string, number, string]> = [];
      if (memoryLimit)
        shares.push([
          'memory',
          memory / memoryLimit,
          `${mib(memory)} of ${limits.memory}`,
        ]);
      if (cpuLimit)
        shares.push([
          'CPU',
          cpuMillis / cpuLimit,
          `${Math.round(cpuMillis)}m of ${limits.cpu}`,
        ]);
      for (const [what, share, detail] of shares) {
        if (share < WARN_AT) continue;
        const level = statusOfShare(share, WARN_AT, FAIL_AT);
        if (level === 'fail' || status === 'ok') status = level;
        if (what === 'memory') memoryHigh = true;
        evidence.push(
          `${name}/${container.name}: ${what} at ${percent(share)} (${detail})`,
        );
      }
    }
  }
  // Memory near its limit ends in an OOM kill; CPU near its limit in latency.
  const troubleshootingFor = () =>
    memoryHigh
      ? {
          ...RESPONSE_CHECKLISTS.highMemoryUsage(target),
          fixAction: 'restart' as const,
        }
      : {
          ...RESPONSE_CHECKLISTS.highLatency(target),
          fixAction: 'scale' as const,
        };
  if (!evidence.length) {
    evidence.push(
      `Every pod is below ${percent(WARN_AT)} of its CPU and memory limits`,
    );
  }
  return {
    ...base,
    status,
    evidence,
    ...(status === 'ok' ? {} : { troubleshooting: troubleshootingFor() }),
  };
}
