import { controllerRef, isControlledBy, objectKey } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { ChangeEvent, KubeObject } from '../store/types';
import { Controller, ControllerContext } from './Controller';
import { isReady } from './podLifecycle';

const PODS = resourceByKind('Pod');
const REPLICA_SETS = resourceByKind('ReplicaSet');

/**
 * Keeps `spec.replicas` pods alive for each ReplicaSet: creates missing ones, deletes
 * surplus ones (least ready and newest first), replaces deleted ones, and reports
 * replicas / readyReplicas / availableReplicas in status.
 */
export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    const { object } = event;
    if (event.resource === 'apps/replicasets') {
      return event.type === 'DELETED' ? [] : [objectKey(object)];
    }
    if (event.resource === '/pods') {
      return (object.metadata.ownerReferences ?? [])
        .filter(r => r.controller && r.kind === 'ReplicaSet')
        .map(r => `${object.metadata.namespace}/${r.name}`);
    }
    return [];
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const rs = this.ctx.store.get('apps/replicasets', namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const owned = this.ctx.store.select('/pods', namespace, p =>
      isControlledBy(p, rs),
    );
    let active = owned.filter(
      p =>
        !p.metadata.deletionTimestamp &&
        !['Succeeded', 'Failed'].includes(p.status?.phase),
    );
    const want: number = rs.spec.replicas;
    if (active.length < want) {
      for (let i = active.length; i < want; i += 1)
        active.push(this.createPod(rs));
    } else if (active.length > want) {
      const doomed = [...active]
        .sort(deletionOrder)
        .slice(0, active.length - want);
      for (const pod of doomed) {
        this.ctx.ops.delete(PODS, namespace, pod.metadata.name, {});
        this.ctx.events.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
      }
      active = active.filter(p => !doomed.includes(p));
    }
    this.writeStatus(rs, active);
  }

  private createPod(rs: KubeObject): KubeObject {
    const template = rs.spec.template;
    const pod = this.ctx.ops.create(PODS, rs.metadata.namespace!, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...template.metadata,
        generateName: `${rs.metadata.name}-`,
        ownerReferences: [controllerRef(rs)],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    });
    this.ctx.events.record(
      rs,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name}`,
      'replicaset-controller',
    );
    return pod;
  }

  private writeStatus(rs: KubeObject, active: KubeObject[]) {
    const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
    const ready = active.filter(isReady);
    const now = Date.now();
    const available = ready.filter(p => {
      const since = Date.parse(
        p.status.conditions.find((c: any) => c.type === 'Ready')
          .lastTransitionTime,
      );
      return since + minReadyMs <= now;
    });
    if (available.length < ready.length) {
      // Look again once the youngest ready pod has been ready for minReadySeconds.
      this.ctx.enqueue(this.name, objectKey(rs), minReadyMs);
    }
    const selectorLabels = rs.spec.selector?.matchLabels ?? {};
    rs.status = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter(p =>
        Object.entries(selectorLabels).every(
          ([k, v]) => p.metadata.labels?.[k] === v,
        ),
      ).length,
      readyReplicas: ready.length,
      availableReplicas: available.length,
      observedGeneration: rs.metadata.generation,
    };
    this.ctx.ops.update(
      REPLICA_SETS,
      rs.metadata.namespace!,
      rs.metadata.name,
      rs,
      { subresource: 'status' },
    );
  }
}

/** Pods to delete first: unscheduled, then not ready, then the most recently created. */
function deletionOrder(a: KubeObject, b: KubeObject) {
  const rank = (p: KubeObject) => {
    if (!p.spec.nodeName) return 0;
    return isReady(p) ? 2 : 1;
  };
  return (
    rank(a) - rank(b) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(
      a.metadata.creationTimestamp ?? '',
    )
  );
}
