import type { LiveState, RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import {
  Colour,
  deploymentName,
  liveColourOf,
  liveDeploymentMissing,
  otherColour,
  ownedBy,
} from '../kubernetes/snapshot';
import type {
  SlimDeployment,
  SlimHpa,
  SlimPod,
  SlimReplicaSet,
  SlimService,
} from './slim';

/** The cached objects in the target's namespace that its live state is made of. */
export type CachedObjects = {
  services: SlimService[];
  deployments: SlimDeployment[];
  replicaSets: SlimReplicaSet[];
  hpas: SlimHpa[];
  pods: SlimPod[];
};

/**
 * `toLiveState(readSnapshot(...))` from the watch cache instead of the cluster, so that
 * the Runbook tab reads no live API. Throws the same NotFoundError when the live colour's
 * Deployment does not exist.
 */
export function liveStateFromCache(
  target: RunbookTarget,
  cached: CachedObjects,
): LiveState {
  const { namespace, service } = target;
  const here = <T extends { namespace: string }>(items: T[]) =>
    items.filter(o => o.namespace === namespace);
  const byName = (name: string) =>
    here(cached.deployments).find(d => d.name === name);
  const liveColour = liveColourOf(
    here(cached.services).find(s => s.name === service)?.version,
  );
  const live = byName(deploymentName(service, liveColour));
  if (!live) throw liveDeploymentMissing(target, liveColour);
  const idleColour = otherColour(liveColour);
  const idle = byName(deploymentName(service, idleColour));
  const colourState = (d: SlimDeployment, colour: Colour) => ({
    colour,
    deployment: d.name,
    replicas: d.replicas,
    readyReplicas: d.readyReplicas,
    image: d.image,
  });
  const revisions = new Set<number>();
  for (const rs of here(cached.replicaSets)) {
    if (rs.revision && ownedBy(rs.ownership, live)) revisions.add(rs.revision);
  }
  return {
    live: colourState(live, liveColour),
    idle: idle && colourState(idle, idleColour),
    autoscaled: here(cached.hpas).some(h => h.target === live.name),
    stoppedReplicas: live.stoppedReplicas,
    revisions: [...revisions].sort((a, b) => a - b),
    pods: here(cached.pods)
      .filter(p => p.service === service)
      .map(p => p.name),
    paused: live.paused,
  };
}
