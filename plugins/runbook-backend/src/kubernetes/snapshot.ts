import { NotFoundError } from '@backstage/errors';
import type {
  ColourState,
  LiveState,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import type { ClusterClients } from './KubernetesClients';
import { readObject } from './operations';

/** The annotation on a stopped Deployment that remembers its replica count for `start`. */
export const STOPPED_REPLICAS_ANNOTATION = 'nexus-cos.io/stopped-replicas';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export type Colour = 'blue' | 'green';

/** The raw objects of one service, as read at one moment. */
export type Snapshot = {
  target: RunbookTarget;
  service: any | undefined;
  liveColour: Colour;
  deployments: Record<Colour, any | undefined>;
  live: any;
  idle: any | undefined;
  /** The HPA that targets the live Deployment, if any. */
  hpa: any | undefined;
  /** ReplicaSets of the live Deployment by revision. */
  revisions: Map<number, any>;
  pods: string[];
};

/** Blue is the seeded `<svc>`; green is `<svc>-green` (the design's blue-green model). */
export const deploymentName = (service: string, colour: Colour) =>
  colour === 'blue' ? service : `${service}-green`;

export const otherColour = (colour: Colour): Colour =>
  colour === 'blue' ? 'green' : 'blue';

/** The service's container: the one named like the service, else the first. */
export function mainContainer(deployment: any, service: string): any {
  const containers: any[] = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find(c => c.name === service) ?? containers[0];
}

const ownedBy = (rs: any, deployment: any) => {
  const owners: any[] = rs.metadata?.ownerReferences ?? [];
  if (owners.length) {
    return owners.some(
      o => o.kind === 'Deployment' && o.name === deployment.metadata.name,
    );
  }
  const wanted = deployment.spec?.selector?.matchLabels ?? {};
  const labels = rs.metadata?.labels ?? {};
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
};

export async function readSnapshot(
  c: ClusterClients,
  target: RunbookTarget,
): Promise<Snapshot> {
  const { namespace, service: svc } = target;
  const [service, blue, green, hpas, replicaSets, pods] = await Promise.all([
    readObject(c, namespace, 'Service', svc),
    readObject(c, namespace, 'Deployment', deploymentName(svc, 'blue')),
    readObject(c, namespace, 'Deployment', deploymentName(svc, 'green')),
    c.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
    c.apps.listNamespacedReplicaSet({ namespace }),
    c.core.listNamespacedPod({
      namespace,
      labelSelector: `backstage.io/kubernetes-id=${svc}`,
    }),
  ]);
  const liveColour: Colour =
    service?.spec?.selector?.version === 'green' ? 'green' : 'blue';
  const deployments = { blue, green };
  const live = deployments[liveColour];
  if (!live) {
    throw new NotFoundError(
      `Deployment ${deploymentName(
        svc,
        liveColour,
      )} (the live ${liveColour} colour) does not exist in ${namespace} on ${
        target.cluster
      }`,
    );
  }
  const revisions = new Map<number, any>();
  for (const rs of replicaSets.items) {
    const revision = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
    if (Number.isInteger(revision) && revision > 0 && ownedBy(rs, live)) {
      revisions.set(revision, rs);
    }
  }
  return {
    target,
    service,
    liveColour,
    deployments,
    live,
    idle: deployments[otherColour(liveColour)],
    hpa: hpas.items.find(
      h =>
        h.spec?.scaleTargetRef?.kind === 'Deployment' &&
        h.spec.scaleTargetRef.name === live.metadata.name,
    ),
    revisions,
    pods: pods.items.map(p => p.metadata!.name!),
  };
}

export function colourState(
  deployment: any,
  colour: Colour,
  service: string,
): ColourState {
  return {
    colour,
    deployment: deployment.metadata.name,
    replicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    image: mainContainer(deployment, service)?.image,
  };
}

export function toLiveState(s: Snapshot): LiveState {
  const stopped = s.live.metadata?.annotations?.[STOPPED_REPLICAS_ANNOTATION];
  return {
    live: colourState(s.live, s.liveColour, s.target.service),
    idle:
      s.idle &&
      colourState(s.idle, otherColour(s.liveColour), s.target.service),
    autoscaled: Boolean(s.hpa),
    stoppedReplicas: stopped === undefined ? undefined : Number(stopped),
    revisions: [...s.revisions.keys()].sort((a, b) => a - b),
    pods: s.pods,
  };
}
