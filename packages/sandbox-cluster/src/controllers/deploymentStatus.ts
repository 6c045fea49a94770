import { timestamp } from '../api/meta';
import { KubeObject } from '../store/types';
import { surgeAndUnavailable } from './rolloutMath';

/** Where a reconcile left the rollout: a new ReplicaSet was just created, it is being synced, or the Deployment is paused. */
export type RolloutPhase = 'created' | 'syncing' | 'paused';

/**
 * A Deployment's status from its ReplicaSets, as `kubectl rollout status` reads it:
 * replica counts, `observedGeneration`, and the Available and Progressing conditions
 * (including ProgressDeadlineExceeded). `deadlineAt` says when the progress deadline
 * passes while a rollout is still under way.
 */
export function deploymentStatus(
  d: KubeObject,
  all: KubeObject[],
  newRsName: string | undefined,
  phase: RolloutPhase,
): { status: Record<string, any>; deadlineAt?: number } {
  const newRs = all.find(rs => rs.metadata.name === newRsName);
  const sum = (f: (rs: KubeObject) => number) =>
    all.reduce((n, rs) => n + f(rs), 0);
  const replicas: number = d.spec.replicas;
  const old = d.status ?? {};
  const status: Record<string, any> = {
    observedGeneration: d.metadata.generation,
    replicas: sum(rs => rs.status?.replicas ?? 0),
    updatedReplicas: newRs?.status?.replicas ?? 0,
    readyReplicas: sum(rs => rs.status?.readyReplicas ?? 0),
    availableReplicas: sum(rs => rs.status?.availableReplicas ?? 0),
  };
  status.unavailableReplicas = Math.max(0, replicas - status.availableReplicas);
  const { maxUnavailable } = surgeAndUnavailable(d);
  const conditions: any[] = structuredClone(old.conditions ?? []);
  const minimumAvailable =
    status.availableReplicas >= replicas - maxUnavailable;
  setCondition(
    conditions,
    'Available',
    minimumAvailable ? 'True' : 'False',
    minimumAvailable
      ? 'MinimumReplicasAvailable'
      : 'MinimumReplicasUnavailable',
    minimumAvailable
      ? 'Deployment has minimum availability.'
      : 'Deployment does not have minimum availability.',
  );

  const complete =
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    (newRs?.spec.replicas ?? 0) === replicas;
  const progressing = conditions.find(c => c.type === 'Progressing');
  const progressed =
    status.updatedReplicas > (old.updatedReplicas ?? 0) ||
    status.readyReplicas > (old.readyReplicas ?? 0) ||
    status.availableReplicas > (old.availableReplicas ?? 0) ||
    status.replicas - status.updatedReplicas <
      (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
  if (phase === 'paused') {
    setCondition(
      conditions,
      'Progressing',
      'Unknown',
      'DeploymentPaused',
      'Deployment is paused',
    );
  } else if (phase === 'created') {
    setCondition(
      conditions,
      'Progressing',
      'True',
      'NewReplicaSetCreated',
      `Created new replica set "${newRsName}"`,
      true,
    );
  } else if (complete) {
    setCondition(
      conditions,
      'Progressing',
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${newRsName}" has successfully progressed.`,
    );
  } else if (
    progressed ||
    !progressing ||
    progressing.reason === 'DeploymentPaused'
  ) {
    // Progress, or a resume, restarts the clock of the progress deadline.
    setCondition(
      conditions,
      'Progressing',
      'True',
      'ReplicaSetUpdated',
      `ReplicaSet "${newRsName}" is progressing.`,
      true,
    );
  } else if (
    progressing.reason !== 'ProgressDeadlineExceeded' &&
    Date.parse(progressing.lastUpdateTime) + deadlineMs <= Date.now()
  ) {
    setCondition(
      conditions,
      'Progressing',
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${newRsName}" has timed out progressing.`,
    );
  }
  status.conditions = conditions;
  let deadlineAt: number | undefined;
  const after = conditions.find(c => c.type === 'Progressing');
  if (
    !complete &&
    after.reason !== 'ProgressDeadlineExceeded' &&
    phase !== 'paused'
  ) {
    deadlineAt = Date.parse(after.lastUpdateTime) + deadlineMs;
  }
  return { status, deadlineAt };
}

/**
 * Sets a condition; `lastTransitionTime` moves only when status changes, `lastUpdateTime`
 * on any change or when `touch` says progress was made.
 */
function setCondition(
  conditions: any[],
  type: string,
  status: string,
  reason: string,
  message: string,
  touch = false,
) {
  const now = timestamp();
  const existing = conditions.find(c => c.type === type);
  if (!existing) {
    conditions.push({
      type,
      status,
      lastUpdateTime: now,
      lastTransitionTime: now,
      reason,
      message,
    });
    return;
  }
  const changed =
    existing.reason !== reason ||
    existing.message !== message ||
    existing.status !== status;
  if (existing.status !== status) existing.lastTransitionTime = now;
  if (changed || touch) existing.lastUpdateTime = now;
  Object.assign(existing, { status, reason, message });
}
