import type { FleetPlanEntry } from '@nexus-cos/plugin-runbook-common';

/** A service of the scope and the services of the same scope it depends on. */
export type FleetNode = { entityRef: string; dependsOn: readonly string[] };

/** Start dependencies before their dependents, or stop dependents before their dependencies. */
export type FleetOrder = 'dependencies-first' | 'dependents-first';

/**
 * The plan, or a dependency cycle: `[a, b, a]` reads "a depends on b, which depends on
 * a" (its first service repeated at the end).
 */
export type FleetPlanning =
  | { ok: true; plan: FleetPlanEntry[] }
  | { ok: false; cycle: string[] };

/**
 * Orders the services topologically (Kahn's algorithm, in layers). A service's depth is
 * the length of the longest chain it waits for, so services of equal depth never depend
 * on each other and may run in parallel. Edges to services outside `nodes` are ignored.
 * Within a depth the order is by entity ref, so equal catalogs give equal plans.
 */
export function planOrder(
  nodes: readonly FleetNode[],
  order: FleetOrder,
): FleetPlanning {
  const refs = new Set(nodes.map(n => n.entityRef));
  /** For each service, the services that must come before it. */
  const before = new Map<string, Set<string>>(
    nodes.map(n => [n.entityRef, new Set<string>()]),
  );
  for (const node of nodes) {
    for (const dependency of node.dependsOn) {
      if (!refs.has(dependency)) continue;
      if (order === 'dependencies-first') {
        before.get(node.entityRef)!.add(dependency);
      } else {
        before.get(dependency)!.add(node.entityRef);
      }
    }
  }

  const plan: FleetPlanEntry[] = [];
  const placed = new Set<string>();
  for (let depth = 0; placed.size < refs.size; depth++) {
    const layer = [...refs]
      .filter(
        ref =>
          !placed.has(ref) && [...before.get(ref)!].every(b => placed.has(b)),
      )
      .sort();
    if (layer.length === 0) {
      const cycle = findCycle(before, placed);
      // Named as "a depends on b" whichever way the plan runs.
      return {
        ok: false,
        cycle: order === 'dependencies-first' ? cycle : cycle.reverse(),
      };
    }
    for (const ref of layer) {
      placed.add(ref);
      plan.push({ entityRef: ref, depth });
    }
  }
  return { ok: true, plan };
}

/**
 * A cycle among the services not yet placed: each of them still waits for another
 * unplaced one, so walking those edges from any of them must come back to a service
 * already on the path (a → b: a waits for b). The walk is deterministic.
 */
function findCycle(
  before: Map<string, Set<string>>,
  placed: Set<string>,
): string[] {
  const waiting = (ref: string) =>
    [...before.get(ref)!].filter(b => !placed.has(b)).sort();
  const start = [...before.keys()].filter(r => !placed.has(r)).sort()[0];
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = start;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = waiting(current)[0];
  }
  return [...path.slice(seen.get(current)!), current];
}
