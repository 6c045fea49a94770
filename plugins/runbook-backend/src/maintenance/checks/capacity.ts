import type { CustomObjectsApi } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  parseMemoryBytes,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import type { KubernetesClients } from '../../kubernetes/KubernetesClients';

/** CPU in millicores, as limits (`500m`, `2`) and metrics-server (`12345678n`) write it. */
export function cpuMillis(quantity: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(n|u|m)?$/.exec(quantity ?? '');
  if (!m) return undefined;
  const scale = { n: 1e-6, u: 1e-3, m: 1, '': 1000 }[m[2] ?? ''];
  return Number(m[1]) * scale!;
}

type Sum = { used: number; limit: number };

const percent = (x: number) => Math.round(x * 1000) / 10;

/**
 * The runbook's weekly "Capacity planning review": each service's CPU and memory use
 * against its pods' limits (from metrics.k8s.io), and HorizontalPodAutoscalers that
 * are at their maximum and can scale no further.
 */
export function capacityCheck(o: {
  clients: KubernetesClients;
  /** The cluster services run on, when the backend can read it itself. */
  cluster?: string;
  /** Why it cannot, otherwise. */
  unreadable?: string;
  /** metrics.k8s.io, through the same cluster's credentials. */
  metrics?: CustomObjectsApi;
  headroomPercent: number;
}): RunbookMaintenanceCheck {
  return {
    id: 'capacity',
    title: 'Capacity planning review',
    period: 'weekly',
    async run() {
      if (!o.cluster || !o.metrics) {
        const why = o.unreadable ?? 'No cluster configured';
        return { status: 'fail', summary: why, evidence: { error: why } };
      }
      const c = o.clients.for(o.cluster);
      const selector = { labelSelector: ANNOTATION_KUBERNETES_ID };
      const [pods, usage, hpas] = await Promise.all([
        c.core.listPodForAllNamespaces(selector),
        o.metrics.listClusterCustomObject({
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          plural: 'pods',
          ...selector,
        }) as Promise<{ items: any[] }>,
        c.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
      ]);
      const usageOf = new Map<string, any>(
        usage.items.map(m => [`${m.metadata.namespace}/${m.metadata.name}`, m]),
      );
      const services = new Map<string, { cpu: Sum; memory: Sum }>();
      for (const pod of pods.items) {
        const key = `${pod.metadata!.namespace}/${
          pod.metadata!.labels![ANNOTATION_KUBERNETES_ID]
        }`;
        const metrics = usageOf.get(
          `${pod.metadata!.namespace}/${pod.metadata!.name}`,
        );
        if (!metrics) continue; // not running: nothing to measure
        const sums = services.get(key) ?? {
          cpu: { used: 0, limit: 0 },
          memory: { used: 0, limit: 0 },
        };
        for (const container of pod.spec?.containers ?? []) {
          const used = metrics.containers?.find(
            (m: any) => m.name === container.name,
          )?.usage;
          const limits = container.resources?.limits ?? {};
          const cpuLimit = cpuMillis(limits.cpu);
          const memoryLimit = limits.memory
            ? parseMemoryBytes(limits.memory)
            : undefined;
          if (cpuLimit && used) {
            sums.cpu.limit += cpuLimit;
            sums.cpu.used += cpuMillis(used.cpu) ?? 0;
          }
          if (memoryLimit && used) {
            sums.memory.limit += memoryLimit;
            sums.memory.used += parseMemoryBytes(used.memory) ?? 0;
          }
        }
        services.set(key, sums);
      }
      const tight = [...services]
        .map(([key, s]) => {
          const [namespace, service] = key.split('/');
          const headroom = (sum: Sum) =>
            sum.limit ? percent(1 - sum.used / sum.limit) : undefined;
          return {
            namespace,
            service,
            cpu: {
              usedMillicores: Math.round(s.cpu.used),
              limitMillicores: Math.round(s.cpu.limit),
              headroomPercent: headroom(s.cpu),
            },
            memory: {
              usedBytes: Math.round(s.memory.used),
              limitBytes: Math.round(s.memory.limit),
              headroomPercent: headroom(s.memory),
            },
          };
        })
        .filter(
          s =>
            (s.cpu.headroomPercent ?? 100) < o.headroomPercent ||
            (s.memory.headroomPercent ?? 100) < o.headroomPercent,
        );
      const atMax = hpas.items
        .filter(
          h =>
            (h.status?.currentReplicas ?? 0) >= h.spec!.maxReplicas &&
            h.spec!.maxReplicas > 0,
        )
        .map(h => ({
          namespace: h.metadata!.namespace,
          name: h.metadata!.name,
          target: h.spec!.scaleTargetRef.name,
          replicas: h.status?.currentReplicas ?? 0,
          maxReplicas: h.spec!.maxReplicas,
        }));
      const findings = [
        ...tight.map(
          s =>
            `${s.namespace}/${s.service} has ${Math.min(
              s.cpu.headroomPercent ?? 100,
              s.memory.headroomPercent ?? 100,
            )}% headroom`,
        ),
        ...atMax.map(
          h =>
            `HPA ${h.namespace}/${h.name} is at its maximum of ${h.maxReplicas}`,
        ),
      ];
      return {
        status: findings.length ? 'warn' : 'ok',
        summary: findings.length
          ? findings.join('; ')
          : `${services.size} services have at least ${o.headroomPercent}% CPU and memory headroom; no HPA is at its maximum`,
        evidence: {
          headroomPercent: o.headroomPercent,
          servicesChecked: services.size,
          services: tight,
          hpasAtMax: atMax,
        },
      };
    },
  };
}
