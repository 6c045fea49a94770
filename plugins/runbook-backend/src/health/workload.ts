import type {
  ServiceEvent,
  WorkloadState,
} from '@nexus-cos/plugin-runbook-common';
import type { CachedObjects } from './liveState';
import type { SlimEvent } from './slim';

/** Everything health reads of a cluster, from the watch cache or one per-request read. */
export type KubeObjects = CachedObjects & { events: SlimEvent[] };

/** The service's Deployments (both colours), pods and HPA among `objects`. Pure. */
export function workloadOf(
  objects: KubeObjects,
  cluster: string,
  namespace: string,
  service: string,
): WorkloadState {
  const mine = <T extends { namespace: string; service?: string }>(
    items: T[],
  ) => items.filter(o => o.namespace === namespace && o.service === service);
  const deployments = mine(objects.deployments);
  const names = new Set(deployments.map(d => d.name));
  const hpa = objects.hpas.find(
    h =>
      h.namespace === namespace &&
      h.target !== undefined &&
      names.has(h.target),
  );
  return {
    cluster,
    namespace,
    service,
    deployments: deployments.map(
      ({
        key: _k,
        namespace: _n,
        service: _s,
        image: _i,
        stoppedReplicas: _r,
        matchLabels: _m,
        ...d
      }) => d,
    ),
    pods: mine(objects.pods).map(
      ({ key: _k, namespace: _n, service: _s, ...p }) => p,
    ),
    ...(hpa
      ? {
          hpa: {
            name: hpa.name,
            minReplicas: hpa.minReplicas,
            maxReplicas: hpa.maxReplicas,
            currentReplicas: hpa.currentReplicas,
            desiredReplicas: hpa.desiredReplicas,
          },
        }
      : {}),
  };
}

/** Events about the service's Deployments, ReplicaSets, pods and HPA, newest first. Pure. */
export function eventsOf(
  objects: KubeObjects,
  namespace: string,
  service: string,
  limit: number,
): ServiceEvent[] {
  const names = new Set<string>();
  for (const o of [
    ...objects.deployments,
    ...objects.replicaSets,
    ...objects.pods,
  ]) {
    if (o.namespace === namespace && o.service === service) names.add(o.name);
  }
  for (const h of objects.hpas) {
    if (h.namespace === namespace && h.target && names.has(h.target))
      names.add(h.name);
  }
  return objects.events
    .filter(e => e.namespace === namespace && names.has(e.objectName))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, limit)
    .map(({ type, reason, message, object, count, lastSeen }) => ({
      type,
      reason,
      message,
      object,
      count,
      lastSeen,
    }));
}
