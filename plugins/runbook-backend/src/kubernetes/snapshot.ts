import { NotFoundError } from '@backstage/errors';
import type {
  V1Container,
  V1Deployment,
  V2HorizontalPodAutoscaler,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
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

/** A Deployment as read from the API server: it always has a name. */
export type NamedDeployment = V1Deployment & {
  metadata: V1Deployment['metadata'] & { name: string };
};

/** The raw objects of one service, as read at one moment. */
export type Snapshot = {
  target: RunbookTarget;
  service: V1Service | undefined;
  /** `<svc>-preview`, which selects the idle colour for probe traffic. */
  preview: V1Service | undefined;
  liveColour: Colour;
  deployments: Record<Colour, NamedDeployment | undefined>;
  live: NamedDeployment;
  idle: NamedDeployment | undefined;
  /** The HPA that targets the live Deployment, if any. */
  hpa: V2HorizontalPodAutoscaler | undefined;
  /** ReplicaSets of the live Deployment by revision. */
  revisions: Map<number, V1ReplicaSet>;
  pods: string[];
  /** Pods the live Deployment's selector matches: those a stop shuts down. */
  livePods: string[];
};

/** Blue is the Deployment `<svc>`, green is `<svc>-green`; the Service selects the live one. */
export const deploymentName = (service: string, colour: Colour) =>
  colour === 'blue' ? service : `${service}-green`;

/** The Service that selects the idle colour, as Argo Rollouts' previewService does. */
export const previewServiceName = (service: string) => `${service}-preview`;

export const otherColour = (colour: Colour): Colour =>
  colour === 'blue' ? 'green' : 'blue';

/** The service's container: the one named like the service, else the first. */
export function mainContainer(
  deployment: V1Deployment,
  service: string,
): V1Container | undefined {
  const containers = deployment.spec?.template?.spec?.containers ?? [];
  return containers.find(c => c.name === service) ?? containers[0];
}

/** Who a ReplicaSet says owns it, and its labels: what `ownedBy` decides on. */
export const replicaSetOwnership = (rs: V1ReplicaSet) => ({
  owners: (rs.metadata?.ownerReferences ?? []).map(o => ({
    kind: o.kind,
    name: o.name,
  })),
  labels: rs.metadata?.labels ?? {},
});

/** By owner reference; a ReplicaSet without any falls back to the Deployment's selector. */
export function ownedBy(
  rs: ReturnType<typeof replicaSetOwnership>,
  deployment: { name: string; matchLabels: Record<string, string> },
) {
  if (rs.owners.length) {
    return rs.owners.some(
      o => o.kind === 'Deployment' && o.name === deployment.name,
    );
  }
  return Object.entries(deployment.matchLabels).every(
    ([k, v]) => rs.labels[k] === v,
  );
}

/** A valid `deployment.kubernetes.io/revision`, else undefined. */
export function revisionOf(rs: V1ReplicaSet): number | undefined {
  const revision = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(revision) && revision > 0 ? revision : undefined;
}

/** The Service's selector decides the live colour; no Service or no version means blue. */
export const liveColourOf = (selectorVersion: unknown): Colour =>
  selectorVersion === 'green' ? 'green' : 'blue';

export const liveDeploymentMissing = (target: RunbookTarget, colour: Colour) =>
  new NotFoundError(
    `Deployment ${deploymentName(
      target.service,
      colour,
    )} (the live ${colour} colour) does not exist in ${target.namespace} on ${
      target.cluster
    }`,
  );

const matches = (
  labels: Record<string, string>,
  selector: Record<string, string>,
) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A label selector in the form the API's `labelSelector` takes. */
export const labelSelectorOf = (matchLabels: Record<string, string>) =>
  Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export async function readSnapshot(
  c: ClusterClients,
  target: RunbookTarget,
): Promise<Snapshot> {
  const { namespace, service: svc } = target;
  const [service, preview, blue, green, hpas, replicaSets, pods] =
    await Promise.all([
      readObject(c, namespace, 'Service', svc) as Promise<
        V1Service | undefined
      >,
      readObject(c, namespace, 'Service', previewServiceName(svc)) as Promise<
        V1Service | undefined
      >,
      readObject(
        c,
        namespace,
        'Deployment',
        deploymentName(svc, 'blue'),
      ) as Promise<NamedDeployment | undefined>,
      readObject(
        c,
        namespace,
        'Deployment',
        deploymentName(svc, 'green'),
      ) as Promise<NamedDeployment | undefined>,
      c.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
      c.apps.listNamespacedReplicaSet({ namespace }),
      c.core.listNamespacedPod({
        namespace,
        labelSelector: `backstage.io/kubernetes-id=${svc}`,
      }),
    ]);
  const liveColour = liveColourOf(service?.spec?.selector?.version);
  const deployments = { blue, green };
  const live = deployments[liveColour];
  if (!live) throw liveDeploymentMissing(target, liveColour);
  const liveOwner = {
    name: live.metadata.name,
    matchLabels: live.spec?.selector?.matchLabels ?? {},
  };
  const revisions = new Map<number, V1ReplicaSet>();
  for (const rs of replicaSets.items) {
    const revision = revisionOf(rs);
    if (revision && ownedBy(replicaSetOwnership(rs), liveOwner)) {
      revisions.set(revision, rs);
    }
  }
  return {
    target,
    service,
    preview,
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
    livePods: pods.items
      .filter(p => matches(p.metadata?.labels ?? {}, liveOwner.matchLabels))
      .map(p => p.metadata!.name!),
  };
}

export function colourState(
  deployment: NamedDeployment,
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

/** The count `stop` remembered on the Deployment, if it is stopped. */
export function stoppedReplicasOf(
  deployment: V1Deployment,
): number | undefined {
  const stopped =
    deployment.metadata?.annotations?.[STOPPED_REPLICAS_ANNOTATION];
  return stopped === undefined ? undefined : Number(stopped);
}

export function toLiveState(s: Snapshot): LiveState {
  return {
    live: colourState(s.live, s.liveColour, s.target.service),
    idle:
      s.idle &&
      colourState(s.idle, otherColour(s.liveColour), s.target.service),
    autoscaled: Boolean(s.hpa),
    stoppedReplicas: stoppedReplicasOf(s.live),
    revisions: [...s.revisions.keys()].sort((a, b) => a - b),
    pods: s.pods,
    paused: Boolean(s.live.spec?.paused),
  };
}
