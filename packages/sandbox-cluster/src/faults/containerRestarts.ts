import { timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { condition } from '../controllers/podLifecycle';
import { ApiOperations } from '../api/operations';
import { KubeObject } from '../store/types';

const PODS = resourceByKind('Pod');

/** How a container ended: a crash (`Error`, 1) or the kernel's OOM killer (`OOMKilled`, 137). */
export interface Termination {
  reason: 'Error' | 'OOMKilled';
  exitCode: number;
}

/**
 * Records that the pod's containers ended and the kubelet restarted them: restart
 * count up, the termination as `lastState`, not ready. `then` says whether they are
 * running again (and will pass readiness) or waiting in CrashLoopBackOff.
 */
export function restartContainers(
  ops: ApiOperations,
  pod: KubeObject,
  ended: Termination,
  then: 'running' | 'crash-loop',
) {
  const now = timestamp();
  pod.status.containerStatuses = pod.status.containerStatuses.map((s: any) => ({
    ...s,
    ready: false,
    started: then === 'running',
    restartCount: (s.restartCount ?? 0) + 1,
    lastState: {
      terminated: {
        ...ended,
        startedAt: s.state?.running?.startedAt ?? now,
        finishedAt: now,
        containerID: s.containerID,
      },
    },
    state:
      then === 'running'
        ? { running: { startedAt: now } }
        : {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off restarting failed container=${s.name} pod=${pod.metadata.name}`,
            },
          },
  }));
  pod.status.conditions = pod.status.conditions.map((c: any) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? condition(c.type, 'False', 'ContainersNotReady')
      : c,
  );
  ops.update(PODS, pod.metadata.namespace!, pod.metadata.name, pod, {
    subresource: 'status',
  });
}

/** Crash-looping containers start again (the fault is gone); readiness follows. */
export function resumeContainers(ops: ApiOperations, pod: KubeObject) {
  pod.status.containerStatuses = pod.status.containerStatuses.map((s: any) => ({
    ...s,
    started: true,
    state: { running: { startedAt: timestamp() } },
  }));
  ops.update(PODS, pod.metadata.namespace!, pod.metadata.name, pod, {
    subresource: 'status',
  });
}

/** Whether any container waits in CrashLoopBackOff. */
export function isCrashLooping(pod: KubeObject) {
  return (pod.status?.containerStatuses ?? []).some(
    (s: any) => s.state?.waiting?.reason === 'CrashLoopBackOff',
  );
}

/** The service a pod belongs to: its kubernetes-id label, else its `app` label. */
export function serviceOf(pod: KubeObject): string | undefined {
  const labels = pod.metadata.labels ?? {};
  return labels['backstage.io/kubernetes-id'] ?? labels.app;
}
