import type { V1Pod } from '@kubernetes/client-node';
import {
  DiagnosticCheck,
  DiagnosticStatus,
  RESPONSE_CHECKLISTS,
} from '@nexus-cos/plugin-runbook-common';
import { rolloutComplete } from '../../kubernetes/rollout';
import { readSnapshot } from '../../kubernetes/snapshot';
import { CheckContext, ago, appSelector } from './context';

const STUCK = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
]);
const HOUR_MS = 60 * 60 * 1000;

function podProblems(pod: V1Pod, now: Date) {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses
    .map(c => c.state?.waiting?.reason)
    .find(reason => reason && STUCK.has(reason));
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const lastRestart = statuses
    .map(c => c.lastState?.terminated?.finishedAt)
    .filter(Boolean)
    .map(t => new Date(t!).getTime())
    .sort((a, b) => b - a)[0];
  const ready = (pod.status?.conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
  return {
    name: pod.metadata?.name ?? '?',
    waiting,
    ready,
    restarts,
    restartedLastHour:
      lastRestart !== undefined && now.getTime() - lastRestart < HOUR_MS,
    lastRestart: lastRestart ? new Date(lastRestart) : undefined,
  };
}

/**
 * "Checking Service Status" and "Pods Not Starting": the live Deployment's readiness and
 * rollout, and pods that crash, cannot pull their image or restarted in the last hour.
 */
export async function workloadCheck(
  ctx: CheckContext,
): Promise<DiagnosticCheck> {
  const { target } = ctx;
  const snapshot = await readSnapshot(ctx.cluster, target);
  const live = snapshot.live;
  const wanted = live.spec?.replicas ?? 1;
  const ready = live.status?.readyReplicas ?? 0;
  const stuck = (live.status?.conditions ?? []).some(
    c => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  const complete = rolloutComplete(live);
  const pods = (
    await ctx.cluster.core.listNamespacedPod({
      namespace: target.namespace,
      labelSelector: appSelector(ctx),
    })
  ).items.map(p => podProblems(p, ctx.now));

  let rollout = complete ? 'rollout complete' : 'rollout in progress';
  if (stuck) rollout = 'rollout exceeded its progress deadline';
  const paused = live.spec?.paused ? ', paused' : '';
  const evidence = [
    `Deployment ${live.metadata.name} (${snapshot.liveColour}): ${ready}/${wanted} ready, ${rollout}${paused}`,
  ];
  for (const pod of pods) {
    if (pod.waiting) {
      evidence.push(`${pod.name}: ${pod.waiting}, ${pod.restarts} restarts`);
    } else if (pod.restartedLastHour) {
      evidence.push(
        `${pod.name}: restarted ${ago(pod.lastRestart, ctx.now)} (${
          pod.restarts
        } restarts in all)`,
      );
    } else if (!pod.ready) {
      evidence.push(`${pod.name}: not ready`);
    }
  }
  const crashing = pods.some(p => p.waiting);
  const fail = crashing || stuck || (wanted > 0 && ready === 0);
  const warn =
    ready < wanted ||
    !complete ||
    pods.some(p => p.restartedLastHour || !p.ready);
  let status: DiagnosticStatus = warn ? 'warn' : 'ok';
  if (fail) status = 'fail';
  return {
    id: 'pods',
    entityRef: target.entityRef,
    title: 'Deployment and pods',
    status,
    evidence,
    ...(status === 'ok'
      ? {}
      : {
          troubleshooting: {
            ...RESPONSE_CHECKLISTS.podsNotStarting(target),
            // A new image that crashes or cannot be pulled goes back; a flaky pod restarts.
            fixAction: crashing || stuck ? 'rollback' : 'restart',
          },
        }),
  };
}
