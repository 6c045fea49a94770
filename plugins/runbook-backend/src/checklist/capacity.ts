import {
  parseCpuMillis,
  parseMemoryBytes,
} from '@nexus-cos/plugin-runbook-common';
import type { ClusterClients } from '../kubernetes/KubernetesClients';
import { isNotFound } from '../kubernetes/KubernetesClients';

type Demand = { pods: number; cpuMillis: number; memoryBytes: number };

const ZERO: Demand = { pods: 0, cpuMillis: 0, memoryBytes: 0 };

function podRequests(podSpec: any): Demand {
  let cpuMillis = 0;
  let memoryBytes = 0;
  for (const c of podSpec?.containers ?? []) {
    cpuMillis += parseCpuMillis(String(c.resources?.requests?.cpu ?? 0)) ?? 0;
    memoryBytes +=
      parseMemoryBytes(String(c.resources?.requests?.memory ?? 0)) ?? 0;
  }
  return { pods: 1, cpuMillis, memoryBytes };
}

const add = (a: Demand, b: Demand, times = 1): Demand => ({
  pods: a.pods + b.pods * times,
  cpuMillis: a.cpuMillis + b.cpuMillis * times,
  memoryBytes: a.memoryBytes + b.memoryBytes * times,
});

const running = (pod: any) =>
  !['Succeeded', 'Failed'].includes(pod.status?.phase) &&
  !pod.metadata?.deletionTimestamp;

/** Extra pods a rolling update of this Deployment starts (maxSurge, default 25%, rounded up). */
export function surgePods(deployment: any): number {
  const strategy = deployment.spec?.strategy;
  if (strategy?.type === 'Recreate') return 0;
  const replicas = deployment.spec?.replicas ?? 1;
  const raw = strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof raw === 'number'
    ? raw
    : Math.ceil((replicas * Number(String(raw).replace('%', ''))) / 100);
}

/**
 * Whether the surge of a rolling update fits: under every ResourceQuota of the namespace
 * and, where the cluster lists its nodes, within their allocatable CPU and memory.
 */
export async function checkSurgeCapacity(
  c: ClusterClients,
  namespace: string,
  deployment: any,
): Promise<{ fits: boolean; detail: string }> {
  const surge = surgePods(deployment);
  const perPod = podRequests(deployment.spec?.template?.spec);
  const extra = add(ZERO, perPod, surge);
  const problems: string[] = [];
  const checked: string[] = [];

  const quotas = await c.core.listNamespacedResourceQuota({ namespace });
  if (quotas.items.length) {
    const pods = await c.core.listNamespacedPod({ namespace });
    const used = pods.items
      .filter(running)
      .reduce((sum, p) => add(sum, podRequests(p.spec)), ZERO);
    for (const quota of quotas.items) {
      const hard = quota.spec?.hard ?? {};
      const limits: Array<[string, number | undefined, number, string]> = [
        [
          'pods',
          hard.pods ? Number(hard.pods) : undefined,
          used.pods + extra.pods,
          '',
        ],
        [
          'requests.cpu',
          hard['requests.cpu']
            ? parseCpuMillis(hard['requests.cpu'])
            : undefined,
          used.cpuMillis + extra.cpuMillis,
          'm',
        ],
        [
          'requests.memory',
          hard['requests.memory']
            ? parseMemoryBytes(hard['requests.memory'])
            : undefined,
          used.memoryBytes + extra.memoryBytes,
          ' bytes',
        ],
      ];
      for (const [key, limit, needed, unit] of limits) {
        if (limit === undefined) continue;
        if (needed > limit) {
          problems.push(
            `ResourceQuota ${quota.metadata?.name} allows ${key} ${hard[key]}, the surge needs ${needed}${unit}`,
          );
        }
      }
    }
    checked.push(`${quotas.items.length} ResourceQuota(s) of ${namespace}`);
  }

  let nodes: any[] | undefined;
  try {
    nodes = (await c.core.listNode()).items;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (nodes?.length) {
    const allocatable = nodes.reduce(
      (sum, n) =>
        add(sum, {
          pods: Number(n.status?.allocatable?.pods ?? 0),
          cpuMillis: parseCpuMillis(n.status?.allocatable?.cpu ?? '0') ?? 0,
          memoryBytes:
            parseMemoryBytes(n.status?.allocatable?.memory ?? '0') ?? 0,
        }),
      ZERO,
    );
    const all = await c.core.listPodForAllNamespaces();
    const used = all.items
      .filter(running)
      .reduce((sum, p) => add(sum, podRequests(p.spec)), ZERO);
    if (used.cpuMillis + extra.cpuMillis > allocatable.cpuMillis)
      problems.push(
        `nodes have ${
          allocatable.cpuMillis - used.cpuMillis
        }m CPU free, the surge needs ${extra.cpuMillis}m`,
      );
    if (used.memoryBytes + extra.memoryBytes > allocatable.memoryBytes)
      problems.push(
        `nodes have ${
          allocatable.memoryBytes - used.memoryBytes
        } bytes of memory free, the surge needs ${extra.memoryBytes}`,
      );
    checked.push(`${nodes.length} node(s)`);
  }

  const what = `a surge of ${surge} pod(s) of ${perPod.cpuMillis}m CPU and ${perPod.memoryBytes} bytes each`;
  if (problems.length) {
    return {
      fits: false,
      detail: `${what} does not fit: ${problems.join('; ')}`,
    };
  }
  return {
    fits: true,
    detail: checked.length
      ? `${what} fits within ${checked.join(' and ')}`
      : `${what}: no ResourceQuota limits ${namespace} and the cluster lists no nodes, so nothing limits it`,
  };
}
