import { Controller, ControllerContext } from '../controllers/Controller';
import { ChangeEvent, KubeObject } from '../store/types';
import {
  isCrashLooping,
  restartContainers,
  resumeContainers,
  serviceOf,
} from './containerRestarts';
import { FaultRegistry } from './FaultRegistry';

const CRASH_LOG = [
  'ERROR unhandled exception: connect ECONNREFUSED 10.96.0.15:5432 (database unreachable)',
  'ERROR process exiting with code 1',
];

/**
 * Plays the kubelet for services with a `down` fault: their running containers crash,
 * are restarted after a back-off and crash again (CrashLoopBackOff); once the fault is
 * cleared they start and pass readiness again.
 */
export class CrashLoopController implements Controller {
  readonly name = 'fault-crash-loop';
  /** Pods (by uid) with a restart pending. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly faults: FaultRegistry,
  ) {}

  keysFor(event: ChangeEvent) {
    if (event.resource !== '/pods' || event.type === 'DELETED') return [];
    const pod = event.object;
    return this.isDown(pod) || isCrashLooping(pod)
      ? [`${pod.metadata.namespace}/${pod.metadata.name}`]
      : [];
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const pod = this.ctx.store.get('/pods', namespace, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (pod.status?.phase !== 'Running') return;
    if (!this.isDown(pod)) {
      if (isCrashLooping(pod)) resumeContainers(this.ctx.ops, pod);
      return;
    }
    if (!isCrashLooping(pod)) {
      this.crash(pod);
      return;
    }
    // Back-off over: the kubelet starts the container, which crashes again.
    const uid = pod.metadata.uid!;
    if (this.pending.has(uid)) return;
    this.pending.add(uid);
    this.ctx.timers.after(this.ctx.timings.crashLoopBackOffMs, () => {
      this.pending.delete(uid);
      const current = this.ctx.store.get('/pods', namespace, name);
      if (current?.metadata.uid === uid && this.isDown(current))
        this.crash(current);
    });
  }

  private crash(pod: KubeObject) {
    for (const c of pod.spec.containers) {
      for (const line of CRASH_LOG) this.ctx.logs.append(pod, c.name, line);
      this.ctx.events.record(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        'kubelet',
        pod.spec.nodeName,
      );
    }
    restartContainers(
      this.ctx.ops,
      pod,
      { reason: 'Error', exitCode: 1 },
      'crash-loop',
    );
  }

  private isDown(pod: KubeObject) {
    const service = serviceOf(pod);
    return Boolean(
      service &&
        this.faults.forService('down', pod.metadata.namespace!, service).length,
    );
  }
}
