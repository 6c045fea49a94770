import { KubeObject } from '../store/types';

/** Current usage of one container, as quantities (`cpu: "120m"`, `memory: "200Mi"`). */
export interface ContainerUsage {
  cpu: string;
  memory: string;
}

/** Decides what a running container uses; the traffic model can replace the default. */
export type PodUsageSource = (
  pod: KubeObject,
  container: any,
) => ContainerUsage;

const CPU_UNITS: Record<string, number> = { m: 1, '': 1000 };

/** A CPU quantity (`250m`, `1`) in millicores; 0 when absent or malformed. */
export function millicores(quantity: unknown): number {
  const m = /^([0-9.]+)(m?)$/.exec(String(quantity ?? ''));
  return m ? Number(m[1]) * CPU_UNITS[m[2]] : 0;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  K: 1e3,
  M: 1e6,
  G: 1e9,
};

/** A memory quantity (`256Mi`, `1G`) in bytes; 0 when absent or malformed. */
export function bytes(quantity: unknown): number {
  const m = /^([0-9.]+)(Ki|Mi|Gi|K|M|G)?$/.exec(String(quantity ?? ''));
  return m ? Number(m[1]) * MEMORY_UNITS[m[2] ?? ''] : 0;
}

/** Default usage: a steady 40% of the CPU request and 60% of the memory request. */
export const requestFractionUsage: PodUsageSource = (_pod, container) => {
  const requests = container.resources?.requests ?? {};
  return {
    cpu: `${Math.round(millicores(requests.cpu ?? '100m') * 0.4)}m`,
    memory: `${Math.round(
      (bytes(requests.memory ?? '128Mi') * 0.6) / 2 ** 10,
    )}Ki`,
  };
};

/** The metrics.k8s.io PodMetrics of a pod, or undefined while it is not running. */
export function podMetrics(pod: KubeObject, usage: PodUsageSource) {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp)
    return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      labels: pod.metadata.labels,
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    },
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    window: '15s',
    containers: (pod.spec.containers ?? []).map((c: any) => ({
      name: c.name,
      usage: usage(pod, c),
    })),
  };
}

/**
 * Usage from the traffic model: a pod's CPU and memory, split evenly over its
 * containers; pods the model does not track fall back to the default.
 */
export function modelUsage(
  usage: (
    uid: string,
  ) => { cpuMillicores: number; memoryBytes: number } | undefined,
): PodUsageSource {
  return (pod, container) => {
    const found = usage(pod.metadata.uid!);
    if (!found) return requestFractionUsage(pod, container);
    const share = 1 / Math.max(1, pod.spec?.containers?.length ?? 1);
    return {
      cpu: `${Math.round(found.cpuMillicores * share)}m`,
      memory: `${Math.round((found.memoryBytes * share) / 2 ** 10)}Ki`,
    };
  };
}
