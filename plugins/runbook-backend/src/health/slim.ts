import type {
  CoreV1Event,
  KubernetesObject,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  parseCpuMillis,
  parseMemoryBytes,
} from '@nexus-cos/plugin-runbook-common';
import {
  mainContainer,
  replicaSetOwnership,
  revisionOf,
  stoppedReplicasOf,
} from '../kubernetes/snapshot';

/**
 * Only what health and the Runbook tab's live state need of each object, so that the
 * cache stays small.
 */

const key = (o: KubernetesObject) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const nameOf = (o: KubernetesObject) => o.metadata?.name ?? '';
const namespaceOf = (o: KubernetesObject) => o.metadata?.namespace ?? '';
/** Watch events carry timestamps as strings, typed objects as Dates: both convert. */
const time = (t: Date | string | undefined | null) =>
  t === undefined || t === null ? undefined : new Date(t).toISOString();
const serviceOf = (o: KubernetesObject): string | undefined =>
  o.metadata?.labels?.[ANNOTATION_KUBERNETES_ID];

export type SlimDeployment = ReturnType<typeof slimDeployment>;
export function slimDeployment(o: V1Deployment) {
  const containers = o.spec?.template?.spec?.containers ?? [];
  const sum = (parse: (q: string) => number | undefined, resource: string) => {
    const values = containers.map(c => c.resources?.limits?.[resource]);
    if (!values.length || values.some(v => v === undefined)) return undefined;
    return values.reduce((n, v) => n + (parse(String(v)) ?? NaN), 0);
  };
  const cpuMillis = sum(parseCpuMillis, 'cpu');
  const memoryBytes = sum(parseMemoryBytes, 'memory');
  const service = serviceOf(o);
  return {
    key: key(o),
    namespace: namespaceOf(o),
    name: nameOf(o),
    service,
    image: mainContainer(o, service ?? '')?.image as string | undefined,
    stoppedReplicas: stoppedReplicasOf(o),
    matchLabels: o.spec?.selector?.matchLabels ?? {},
    replicas: o.spec?.replicas ?? 1,
    paused: Boolean(o.spec?.paused),
    readyReplicas: o.status?.readyReplicas ?? 0,
    availableReplicas: o.status?.availableReplicas ?? 0,
    updatedReplicas: o.status?.updatedReplicas ?? 0,
    progressing: (o.status?.conditions ?? []).find(
      c => c.type === 'Progressing',
    )?.reason,
    limits:
      cpuMillis === undefined && memoryBytes === undefined
        ? undefined
        : {
            ...(cpuMillis === undefined ? {} : { cpuCores: cpuMillis / 1000 }),
            ...(memoryBytes === undefined ? {} : { memoryBytes }),
          },
  };
}

export type SlimReplicaSet = ReturnType<typeof slimReplicaSet>;
export function slimReplicaSet(o: V1ReplicaSet) {
  return {
    key: key(o),
    namespace: namespaceOf(o),
    name: nameOf(o),
    service: serviceOf(o),
    replicas: o.spec?.replicas ?? 0,
    revision: revisionOf(o),
    ownership: replicaSetOwnership(o),
  };
}

export type SlimPod = ReturnType<typeof slimPod>;
export function slimPod(o: V1Pod) {
  const statuses = o.status?.containerStatuses ?? [];
  return {
    key: key(o),
    namespace: namespaceOf(o),
    name: nameOf(o),
    service: serviceOf(o),
    phase: o.metadata?.deletionTimestamp
      ? 'Terminating'
      : o.status?.phase ?? 'Unknown',
    ready:
      (o.status?.conditions ?? []).find(c => c.type === 'Ready')?.status ===
      'True',
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    waitingReason: statuses.find(c => c.state?.waiting?.reason)?.state?.waiting
      ?.reason,
    createdAt: time(o.metadata?.creationTimestamp),
  };
}

export type SlimHpa = ReturnType<typeof slimHpa>;
export function slimHpa(o: V2HorizontalPodAutoscaler) {
  return {
    key: key(o),
    namespace: namespaceOf(o),
    name: nameOf(o),
    target:
      o.spec?.scaleTargetRef?.kind === 'Deployment'
        ? o.spec.scaleTargetRef.name
        : undefined,
    minReplicas: o.spec?.minReplicas,
    maxReplicas: o.spec?.maxReplicas ?? 1,
    currentReplicas: o.status?.currentReplicas,
    desiredReplicas: o.status?.desiredReplicas,
  };
}

export type SlimService = ReturnType<typeof slimService>;
export function slimService(o: V1Service) {
  return {
    key: key(o),
    namespace: namespaceOf(o),
    name: nameOf(o),
    /** The colour the Service selects. */
    version: o.spec?.selector?.version,
  };
}

export type SlimEvent = ReturnType<typeof slimEvent>;
export function slimEvent(o: CoreV1Event) {
  return {
    key: key(o),
    namespace: namespaceOf(o),
    object: `${o.involvedObject?.kind}/${o.involvedObject?.name}`,
    objectName: o.involvedObject?.name ?? '',
    type: o.type ?? 'Normal',
    reason: o.reason ?? '',
    message: (o.message ?? '').slice(0, 1024),
    count: o.count ?? 1,
    lastSeen:
      time(o.lastTimestamp) ??
      time(o.eventTime) ??
      time(o.metadata?.creationTimestamp) ??
      '',
  };
}
