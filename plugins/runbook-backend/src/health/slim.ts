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

const key = (o: any) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const time = (t: unknown) =>
  t === undefined || t === null
    ? undefined
    : new Date(t as string).toISOString();
const serviceOf = (o: any): string | undefined =>
  o.metadata?.labels?.[ANNOTATION_KUBERNETES_ID];

export type SlimDeployment = ReturnType<typeof slimDeployment>;
export function slimDeployment(o: any) {
  const containers: any[] = o.spec?.template?.spec?.containers ?? [];
  const sum = (parse: (q: string) => number | undefined, name: string) => {
    const values = containers.map(c => c.resources?.limits?.[name]);
    if (!values.length || values.some(v => v === undefined)) return undefined;
    return values.reduce((n, v) => n + (parse(String(v)) ?? NaN), 0);
  };
  const cpuMillis = sum(parseCpuMillis, 'cpu');
  const memoryBytes = sum(parseMemoryBytes, 'memory');
  const service = serviceOf(o);
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    name: o.metadata?.name as string,
    service,
    image: mainContainer(o, service ?? '')?.image as string | undefined,
    stoppedReplicas: stoppedReplicasOf(o),
    matchLabels: (o.spec?.selector?.matchLabels ?? {}) as Record<
      string,
      string
    >,
    replicas: (o.spec?.replicas ?? 1) as number,
    paused: Boolean(o.spec?.paused),
    readyReplicas: (o.status?.readyReplicas ?? 0) as number,
    availableReplicas: (o.status?.availableReplicas ?? 0) as number,
    updatedReplicas: (o.status?.updatedReplicas ?? 0) as number,
    progressing: (o.status?.conditions ?? []).find(
      (c: any) => c.type === 'Progressing',
    )?.reason as string | undefined,
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
export function slimReplicaSet(o: any) {
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    name: o.metadata?.name as string,
    service: serviceOf(o),
    replicas: (o.spec?.replicas ?? 0) as number,
    revision: revisionOf(o),
    ownership: replicaSetOwnership(o),
  };
}

export type SlimPod = ReturnType<typeof slimPod>;
export function slimPod(o: any) {
  const statuses: any[] = o.status?.containerStatuses ?? [];
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    name: o.metadata?.name as string,
    service: serviceOf(o),
    phase: (o.metadata?.deletionTimestamp
      ? 'Terminating'
      : o.status?.phase ?? 'Unknown') as string,
    ready:
      (o.status?.conditions ?? []).find((c: any) => c.type === 'Ready')
        ?.status === 'True',
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0) as number,
    waitingReason: statuses.find(c => c.state?.waiting?.reason)?.state.waiting
      .reason as string | undefined,
    createdAt: time(o.metadata?.creationTimestamp),
  };
}

export type SlimHpa = ReturnType<typeof slimHpa>;
export function slimHpa(o: any) {
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    name: o.metadata?.name as string,
    target: (o.spec?.scaleTargetRef?.kind === 'Deployment'
      ? o.spec.scaleTargetRef.name
      : undefined) as string | undefined,
    minReplicas: o.spec?.minReplicas as number | undefined,
    maxReplicas: o.spec?.maxReplicas as number,
    currentReplicas: o.status?.currentReplicas as number | undefined,
    desiredReplicas: o.status?.desiredReplicas as number | undefined,
  };
}

export type SlimService = ReturnType<typeof slimService>;
export function slimService(o: any) {
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    name: o.metadata?.name as string,
    /** The colour the Service selects. */
    version: o.spec?.selector?.version as string | undefined,
  };
}

export type SlimEvent = ReturnType<typeof slimEvent>;
export function slimEvent(o: any) {
  return {
    key: key(o),
    namespace: o.metadata?.namespace as string,
    object: `${o.involvedObject?.kind}/${o.involvedObject?.name}`,
    objectName: o.involvedObject?.name as string,
    type: (o.type ?? 'Normal') as string,
    reason: (o.reason ?? '') as string,
    message: ((o.message ?? '') as string).slice(0, 1024),
    count: (o.count ?? 1) as number,
    lastSeen:
      time(o.lastTimestamp) ??
      time(o.eventTime) ??
      time(o.metadata?.creationTimestamp) ??
      '',
  };
}
