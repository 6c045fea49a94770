import { KubeObject } from '../store/types';

/** Resolves an int-or-percent against `total`, rounding as the deployment controller does. */
export function resolveIntOrPercent(
  value: unknown,
  total: number,
  roundUp: boolean,
) {
  if (typeof value === 'number') return value;
  const percent = Number(String(value ?? '0').replace('%', ''));
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** `maxSurge` and `maxUnavailable` of a Deployment; both zero would deadlock, so unavailable becomes 1. */
export function surgeAndUnavailable(d: KubeObject) {
  const replicas: number = d.spec.replicas;
  if (d.spec.strategy?.type !== 'RollingUpdate')
    return { maxSurge: 0, maxUnavailable: 0 };
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolveIntOrPercent(
    ru.maxUnavailable ?? '25%',
    replicas,
    false,
  );
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

const specReplicas = (rs: KubeObject): number => rs.spec.replicas ?? 0;
const available = (rs: KubeObject): number => rs.status?.availableReplicas ?? 0;

/** How many replicas the new ReplicaSet may have now without exceeding the surge. */
export function newReplicaSetTarget(
  d: KubeObject,
  newRs: KubeObject,
  oldRses: KubeObject[],
) {
  const replicas: number = d.spec.replicas;
  if (oldRses.every(rs => specReplicas(rs) === 0)) return replicas;
  if (specReplicas(newRs) >= replicas) return replicas;
  const { maxSurge } = surgeAndUnavailable(d);
  const current = [newRs, ...oldRses].reduce(
    (n, rs) => n + specReplicas(rs),
    0,
  );
  const room = replicas + maxSurge - current;
  if (room <= 0) return specReplicas(newRs);
  return specReplicas(newRs) + Math.min(room, replicas - specReplicas(newRs));
}

/**
 * New `spec.replicas` for each old ReplicaSet: first drop pods that are not available
 * anyway, then scale down as far as `maxUnavailable` allows. Oldest sets go first.
 */
export function oldReplicaSetTargets(
  d: KubeObject,
  newRs: KubeObject,
  oldRses: KubeObject[],
) {
  const replicas: number = d.spec.replicas;
  const { maxUnavailable } = surgeAndUnavailable(d);
  const targets = new Map(
    oldRses.map(rs => [rs.metadata.name, specReplicas(rs)]),
  );
  const all = () =>
    specReplicas(newRs) + [...targets.values()].reduce((a, b) => a + b, 0);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = Math.max(0, specReplicas(newRs) - available(newRs));
  let budget = all() - minAvailable - newUnavailable;
  const oldest = [...oldRses].sort((a, b) => revision(a) - revision(b));
  for (const rs of oldest) {
    if (budget <= 0) break;
    const unhealthy = Math.max(
      0,
      targets.get(rs.metadata.name)! - available(rs),
    );
    const cut = Math.min(unhealthy, budget);
    targets.set(rs.metadata.name, targets.get(rs.metadata.name)! - cut);
    budget -= cut;
  }
  const availableNow =
    available(newRs) +
    oldRses.reduce(
      (n, rs) => n + Math.min(available(rs), targets.get(rs.metadata.name)!),
      0,
    );
  let scaleDown = availableNow - minAvailable;
  for (const rs of oldest) {
    if (scaleDown <= 0) break;
    const cut = Math.min(targets.get(rs.metadata.name)!, scaleDown);
    targets.set(rs.metadata.name, targets.get(rs.metadata.name)! - cut);
    scaleDown -= cut;
  }
  return targets;
}

export function revision(rs: KubeObject): number {
  return Number(
    rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
  );
}
