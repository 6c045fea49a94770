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
 * are at their maximum and can scale no further, in every cluster the backend can read
 * (findings name their cluster when there are several).
 */
export function capacityCheck(o: {
  clients: KubernetesClients;
  /** The clusters services run on that the backend can read itself. */
  clusters: Array<{
    name: string;
    /** metrics.k8s.io, through the same cluster's credentials. */
    metrics: CustomObjectsApi;
  }>;
  /** Why it can read none, when it cannot. */
  unreadable?: string;
  headroomPercent: number;
}): RunbookMaintenanceCheck {
  return {
    id: 'capacity',
    title: 'Capacity planning review',
    period: 'weekly',
    async run() {
      if (!o.clusters.length) {
        const why = o.unreadable ?? 'No cluster configured';
        return { status: 'fail', summary: why, evidence: { error: why } };
      }
      const several = o.clusters.length > 1;
      const reviews = await Promise.all(
        o.clusters.map(async cluster => ({
          cluster: cluster.name,
          ...(await review(
            o.clients,
            cluster.name,
            cluster.metrics,
            o.headroomPercent,
          )),
        })),
      );
      const where = (cluster: string) => (several ? `${cluster}:` : '');
      const tight = reviews.flatMap(r =>
        r.tight.map(t => ({
          ...(several ? { cluster: r.cluster } : {}),
          ...t,
        })),
      );
      const atMax = reviews.flatMap(r =>
        r.atMax.map(h => ({
          ...(several ? { cluster: r.cluster } : {}),
          ...h,
        })),
      );
      const findings = reviews.flatMap(r => [
        ...r.tight.map(
          s =>
            `${where(r.cluster)}${s.namespace}/${s.service} has ${Math.min(
              s.cpu.headroomPercent ?? 100,
              s.memory.headroomPercent ?? 100,
            )}% headroom`,
        ),
        ...r.atMax.map(
          h =>
            `HPA ${where(r.cluster)}${h.namespace}/${
              h.name
            } is at its maximum of ${h.maxReplicas}`,
        ),
      ]);
      const checked = reviews.reduce((n, r) => n + r.servicesChecked, 0);
      return {
        status: findings.length ? 'warn' : 'ok',
        summary: findings.length
          ? findings.join('; ')
          : `${checked} services have at least ${o.headroomPercent}% CPU and memory headroom; no HPA is at its maximum`,
        evidence: {
          headroomPercent: o.headroomPercent,
          servicesChecked: checked,
          services: tight,
          hpasAtMax: atMax,
        },
      };
    },
  };
}

/** One cluster's tight services and HPAs at their maximum. */
async function review(
  clients: KubernetesClients,
  cluster: string,
  metricsApi: CustomObjectsApi,
  headroomPercent: number,
) {
  const c = clients.for(cluster);
  const selector = { labelSelector: ANNOTATION_KUBERNETES_ID };
  const [pods, usage, hpas] = await Promise.all([
    c.core.listPodForAllNamespaces(selector),
    metricsApi.listClusterCustomObject({
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
        (s.cpu.headroomPercent ?? 100) < headroomPercent ||
        (s.memory.headroomPercent ?? 100) < headroomPercent,
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
  return { tight, atMax, servicesChecked: services.size };
}
