import type { ClusterClients } from './KubernetesClients';
import { ownedBy, replicaSetOwnership, revisionOf } from './snapshot';

/** Escapes a name for a regular expression. */
const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regular expression of the pods of a Deployment's current template: those of its
 * ReplicaSet at the Deployment's revision, named `<deployment>-<pod-template-hash>-…`.
 * Metrics of the new pods alone are what an analysis of a rollout looks at.
 */
export async function currentPodsPattern(
  c: ClusterClients,
  namespace: string,
  deployment: string,
): Promise<string> {
  const d = await c.apps.readNamespacedDeployment({
    name: deployment,
    namespace,
  });
  const revision = Number(
    d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
  );
  const replicaSets = await c.apps.listNamespacedReplicaSet({ namespace });
  const current = replicaSets.items.find(
    rs =>
      revisionOf(rs) === revision &&
      ownedBy(replicaSetOwnership(rs), {
        name: deployment,
        matchLabels: d.spec?.selector?.matchLabels ?? {},
      }),
  );
  const hash = current?.metadata?.labels?.['pod-template-hash'];
  return hash
    ? `${literal(deployment)}-${literal(hash)}-.+`
    : `${literal(deployment)}-[a-z0-9]+-[a-z0-9]+`;
}
