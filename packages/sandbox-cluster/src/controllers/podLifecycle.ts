import { resourceByKind } from '../api/resources';
import { timestamp } from '../api/meta';
import { ChangeEvent, KubeObject } from '../store/types';
import { Controller, ControllerContext } from './Controller';

const PODS = resourceByKind('Pod');
const NODES = ['sandbox-node-1', 'sandbox-node-2', 'sandbox-node-3'];

/**
 * Plays scheduler and kubelet for each pod: bind to a node, pull and start the
 * containers (or fail the pull for never-ready images), pass the readiness probe, and
 * on graceful deletion stop the containers and remove the pod when its grace ends.
 * Each stage is a timer; the pod is re-read when it fires, so stale timers do nothing.
 */
export class PodLifecycleController implements Controller {
  readonly name = 'pod-lifecycle';
  private nextNode = 0;
  private nextIp = 2;
  /** Pods (by uid) with a stage timer pending, so a re-queue does not double it. */
  private readonly pending = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    if (event.resource !== '/pods') return [];
    if (event.type === 'DELETED') {
      this.ctx.logs.forget(event.object);
      return [];
    }
    return [`${event.object.metadata.namespace}/${event.object.metadata.name}`];
  }

  reconcile(key: string) {
    const pod = this.read(key);
    if (!pod) return;
    const { timings } = this.ctx;
    if (pod.metadata.deletionTimestamp) {
      this.wait(
        pod,
        (pod.metadata.deletionGracePeriodSeconds ?? 0) *
          1000 *
          timings.gracePeriodScale,
        p => this.terminate(p),
        'terminate',
      );
    } else if (!pod.spec.nodeName) {
      this.wait(pod, timings.scheduleMs, p => this.bind(p), 'bind');
    } else if (!pod.status?.startTime) {
      this.wait(pod, timings.startMs, p => this.start(p), 'start');
    } else if (
      pod.status.phase === 'Running' &&
      !isReady(pod) &&
      containersRunning(pod)
    ) {
      this.wait(pod, timings.readinessMs, p => this.becomeReady(p), 'ready');
    } else if (
      pod.status.phase === 'Pending' &&
      !pod.spec.containers.some((c: any) => this.ctx.images.neverReady(c.image))
    ) {
      // The kubelet retries failed pulls; this one would now succeed.
      this.wait(pod, timings.startMs, p => this.start(p), 'start');
    }
  }

  private read(key: string) {
    const [namespace, name] = key.split('/');
    return this.ctx.store.get('/pods', namespace, name);
  }

  /** Runs `stage` after `ms` if the pod is still the same pod in the same stage. */
  private wait(
    pod: KubeObject,
    ms: number,
    stage: (pod: KubeObject) => void,
    name: string,
  ) {
    const key = stageKey(pod, name);
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.ctx.timers.after(ms, () => {
      this.pending.delete(key);
      const current = this.read(
        `${pod.metadata.namespace}/${pod.metadata.name}`,
      );
      if (!current || current.metadata.uid !== pod.metadata.uid) return;
      const terminating = Boolean(current.metadata.deletionTimestamp);
      if (terminating !== (name === 'terminate')) return;
      stage(current);
    });
  }

  private bind(pod: KubeObject) {
    const node = NODES[this.nextNode++ % NODES.length];
    pod.spec.nodeName = node;
    const bound = this.ctx.ops.update(
      PODS,
      pod.metadata.namespace!,
      pod.metadata.name,
      pod,
    );
    bound.status = {
      ...bound.status,
      phase: 'Pending',
      conditions: [condition('PodScheduled', 'True')],
      qosClass: qosClass(bound),
    };
    this.writeStatus(bound);
    this.ctx.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`,
      'default-scheduler',
    );
  }

  private start(pod: KubeObject) {
    const node = pod.spec.nodeName;
    const { events, images, logs } = this.ctx;
    const containers: any[] = pod.spec.containers;
    const failing = containers.filter(c => images.neverReady(c.image));
    const ip = this.nextIp++;
    pod.status = {
      ...pod.status,
      phase: failing.length ? 'Pending' : 'Running',
      hostIP: `172.18.0.${(NODES.indexOf(node) % NODES.length) + 2}`,
      podIP: `10.244.${Math.floor(ip / 250) % 250}.${(ip % 250) + 1}`,
      startTime: timestamp(),
      conditions: [
        condition('Initialized', 'True'),
        condition('Ready', 'False', 'ContainersNotReady'),
        condition('ContainersReady', 'False', 'ContainersNotReady'),
        condition('PodScheduled', 'True'),
      ],
      containerStatuses: containers.map(c =>
        images.neverReady(c.image)
          ? containerStatus(
              c,
              {
                waiting: {
                  reason: 'ImagePullBackOff',
                  message: `Back-off pulling image "${c.image}"`,
                },
              },
              false,
            )
          : containerStatus(c, { running: { startedAt: timestamp() } }, true),
      ),
    };
    pod.status.podIPs = [{ ip: pod.status.podIP }];
    this.writeStatus(pod);
    for (const c of containers) {
      events.record(
        pod,
        'Normal',
        'Pulling',
        `Pulling image "${c.image}"`,
        'kubelet',
        node,
      );
      if (images.neverReady(c.image)) {
        events.record(
          pod,
          'Warning',
          'Failed',
          `Failed to pull image "${c.image}": rpc error: code = NotFound desc = manifest unknown`,
          'kubelet',
          node,
        );
        events.record(
          pod,
          'Warning',
          'Failed',
          'Error: ErrImagePull',
          'kubelet',
          node,
        );
        events.record(
          pod,
          'Normal',
          'BackOff',
          `Back-off pulling image "${c.image}"`,
          'kubelet',
          node,
        );
        events.record(
          pod,
          'Warning',
          'Failed',
          'Error: ImagePullBackOff',
          'kubelet',
          node,
        );
        continue;
      }
      events.record(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${c.image}"`,
        'kubelet',
        node,
      );
      events.record(
        pod,
        'Normal',
        'Created',
        `Created container: ${c.name}`,
        'kubelet',
        node,
      );
      events.record(
        pod,
        'Normal',
        'Started',
        `Started container ${c.name}`,
        'kubelet',
        node,
      );
      logs.append(
        pod,
        c.name,
        `INFO starting ${c.name} image=${c.image} pod=${pod.metadata.name}`,
      );
      for (const p of c.ports ?? [])
        logs.append(pod, c.name, `INFO listening on :${p.containerPort}`);
    }
  }

  private becomeReady(pod: KubeObject) {
    // A container crashed (a fault) while the probe was pending.
    if (!containersRunning(pod)) return;
    pod.status.conditions = pod.status.conditions.map((c: any) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? condition(c.type, 'True')
        : c,
    );
    pod.status.containerStatuses = pod.status.containerStatuses.map(
      (s: any) => ({ ...s, ready: true }),
    );
    this.writeStatus(pod);
    for (const c of pod.spec.containers) {
      this.ctx.logs.append(
        pod,
        c.name,
        'INFO GET /healthz 200 readiness probe passed',
      );
    }
  }

  private terminate(pod: KubeObject) {
    for (const c of pod.spec.containers) {
      this.ctx.events.record(
        pod,
        'Normal',
        'Killing',
        `Stopping container ${c.name}`,
        'kubelet',
        pod.spec.nodeName,
      );
    }
    if ((pod.metadata.finalizers ?? []).length === 0)
      this.ctx.ops.finalizeDeletion(PODS, pod);
  }

  private writeStatus(pod: KubeObject) {
    this.ctx.ops.update(PODS, pod.metadata.namespace!, pod.metadata.name, pod, {
      subresource: 'status',
    });
  }
}

function stageKey(pod: KubeObject, stage: string) {
  return `${pod.metadata.uid}:${stage}`;
}

export function isReady(pod: KubeObject) {
  return (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

/** Whether every container is running (not waiting in a back-off). */
function containersRunning(pod: KubeObject) {
  return (pod.status?.containerStatuses ?? []).every(
    (s: any) => s.state?.running,
  );
}

export function condition(
  type: string,
  status: 'True' | 'False',
  reason?: string,
) {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: timestamp(),
    ...(reason ? { reason } : {}),
  };
}

function containerStatus(c: any, state: object, started: boolean) {
  return {
    name: c.name,
    image: c.image,
    imageID: started
      ? `${c.image.split(':')[0]}@sha256:${Buffer.from(c.image)
          .toString('hex')
          .padEnd(64, '0')
          .slice(0, 64)}`
      : '',
    containerID: started
      ? `containerd://${Buffer.from(c.name + c.image)
          .toString('hex')
          .padEnd(64, '0')
          .slice(0, 64)}`
      : undefined,
    ready: false,
    started,
    restartCount: 0,
    state,
    lastState: {},
  };
}

function qosClass(pod: KubeObject) {
  const containers: any[] = pod.spec.containers;
  const hasAny = containers.some(
    c =>
      Object.keys(c.resources?.requests ?? {}).length ||
      Object.keys(c.resources?.limits ?? {}).length,
  );
  if (!hasAny) return 'BestEffort';
  const guaranteed = containers.every(c => {
    const { requests = {}, limits = {} } = c.resources ?? {};
    return ['cpu', 'memory'].every(
      r => limits[r] && (requests[r] ?? limits[r]) === limits[r],
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
