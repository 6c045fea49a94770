import type {
  ServiceEvent,
  WorkloadState,
} from '@nexus-cos/plugin-runbook-common';
import type { CachedObjects } from './liveState';
import type { SlimEvent } from './slim';

/** Everything health reads of a cluster, from the watch cache or one per-request read. */
export type KubeObjects = CachedObjects & { events: SlimEvent[] };

type Owned = { namespace: string; service?: string };
type ServiceObjects = Pick<KubeObjects, 'deployments' | 'replicaSets' | 'pods'>;

const indexes = new WeakMap<KubeObjects, Map<string, ServiceObjects>>();

/**
 * The objects of each service, indexed once per `objects` (the watch cache hands out the
 * same one until it changes), so that reading one service of a thousand does not scan
 * the thousand.
 */
function ofService(
  objects: KubeObjects,
  namespace: string,
  service: string,
): ServiceObjects {
  let index = indexes.get(objects);
  if (!index) {
    const built = new Map<string, ServiceObjects>();
    const add = <K extends keyof ServiceObjects>(
      kind: K,
      items: Array<ServiceObjects[K][number] & Owned>,
    ) => {
      for (const o of items) {
        if (o.service === undefined) continue;
        const key = `${o.namespace}/${o.service}`;
        let mine = built.get(key);
        if (!mine) {
          mine = { deployments: [], replicaSets: [], pods: [] };
          built.set(key, mine);
        }
        (mine[kind] as Owned[]).push(o);
      }
    };
    add('deployments', objects.deployments);
    add('replicaSets', objects.replicaSets);
    add('pods', objects.pods);
    indexes.set(objects, built);
    index = built;
  }
  return (
    index.get(`${namespace}/${service}`) ?? {
      deployments: [],
      replicaSets: [],
      pods: [],
    }
  );
}

/** The service's Deployments (both colours), pods and HPA among `objects`. Pure. */
export function workloadOf(
  objects: KubeObjects,
  cluster: string,
  namespace: string,
  service: string,
): WorkloadState {
  const mine = ofService(objects, namespace, service);
  const deployments = mine.deployments;
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
    pods: mine.pods.map(({ key: _k, namespace: _n, service: _s, ...p }) => p),
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
  const mine = ofService(objects, namespace, service);
  const names = new Set<string>();
  for (const o of [...mine.deployments, ...mine.replicaSets, ...mine.pods]) {
    names.add(o.name);
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
