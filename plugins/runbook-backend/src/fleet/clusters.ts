import { InputError } from '@backstage/errors';
import type { ResolvedRunbook } from '../runs/RunbookResolver';

/**
 * A service's runbook aimed at the fleet run's cluster, when it runs there; as resolved
 * (in its first cluster) otherwise, for `notInCluster` to skip it.
 */
export function targeting(
  resolved: ResolvedRunbook,
  cluster: string | undefined,
): ResolvedRunbook {
  return cluster && resolved.clusters.includes(cluster)
    ? { ...resolved, target: { ...resolved.target, cluster } }
    : resolved;
}

/** Why a service is skipped by a fleet run in `cluster`: it does not run there. */
export function notInCluster(
  resolved: Pick<ResolvedRunbook, 'clusters'>,
  cluster: string | undefined,
): string | undefined {
  return cluster && !resolved.clusters.includes(cluster)
    ? `it does not run in cluster ${cluster} (only in ${resolved.clusters.join(
        ', ',
      )})`
    : undefined;
}

/**
 * A 400 when a service in scope runs in several clusters and the fleet run names none,
 * listing where they run; a fleet run acts in one cluster at a time.
 */
export function requireFleetCluster(
  scope: string,
  resolved: ResolvedRunbook[],
  cluster: string | undefined,
) {
  if (cluster !== undefined) {
    if (!resolved.some(r => r.clusters.includes(cluster))) {
      const all = [...new Set(resolved.flatMap(r => r.clusters))];
      throw new InputError(
        `cluster: no service of ${scope} runs in ${cluster} (they run in: ${all.join(
          ', ',
        )})`,
      );
    }
    return;
  }
  const several = resolved.filter(r => r.clusters.length > 1);
  if (several.length) {
    const all = [...new Set(several.flatMap(r => r.clusters))];
    throw new InputError(
      `cluster: services of ${scope} run in several clusters (${several
        .map(r => r.target.entityRef)
        .join(', ')}); name the one to act in (one of: ${all.join(', ')})`,
    );
  }
}
