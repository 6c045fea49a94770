import {
  DeleteOptions,
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
} from '../api/deletion';
import { RESOURCES, resourceKey } from '../api/resources';
import { ChangeEvent, KubeObject } from '../store/types';
import { Controller, ControllerContext } from './Controller';

const NAMESPACED = RESOURCES.filter(r => r.namespaced && !r.computed);

/**
 * The garbage collector, driven by ownerReferences: when an owner is gone its dependents
 * are deleted (background propagation); an owner with the `foregroundDeletion` finalizer
 * waits until its dependents are gone; one with `orphan` releases its dependents first.
 */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    const { object } = event;
    const keys: string[] = [];
    const deleting =
      object.metadata.deletionTimestamp &&
      (object.metadata.finalizers ?? []).some(
        f => f === FOREGROUND_FINALIZER || f === ORPHAN_FINALIZER,
      );
    if (event.type === 'DELETED' || deleting)
      keys.push(ownerKey(event.resource, object));
    // A dependent going away may unblock its foreground-deleting owner.
    if (event.type === 'DELETED') {
      for (const ref of object.metadata.ownerReferences ?? []) {
        const owner = NAMESPACED.find(r => r.kind === ref.kind);
        if (owner)
          keys.push(
            `${resourceKey(owner)}|${object.metadata.namespace}|${ref.name}|${
              ref.uid
            }`,
          );
      }
    }
    return keys;
  }

  reconcile(key: string) {
    const [resource, namespace, name, uid] = key.split('|');
    const owner = this.ctx.store.get(resource, namespace, name);
    const dependents = this.dependentsOf(namespace, uid);
    if (!owner || owner.metadata.uid !== uid) {
      this.deleteAll(dependents, { propagationPolicy: 'Background' });
      return;
    }
    const finalizers = owner.metadata.finalizers ?? [];
    if (finalizers.includes(ORPHAN_FINALIZER)) {
      for (const { type, object } of dependents) {
        object.metadata.ownerReferences =
          object.metadata.ownerReferences!.filter(r => r.uid !== uid);
        this.ctx.ops.update(type, namespace, object.metadata.name, object);
      }
      this.dropFinalizer(resource, owner, ORPHAN_FINALIZER);
    } else if (finalizers.includes(FOREGROUND_FINALIZER)) {
      if (dependents.length)
        this.deleteAll(dependents, { propagationPolicy: 'Foreground' });
      else this.dropFinalizer(resource, owner, FOREGROUND_FINALIZER);
    }
  }

  private dependentsOf(namespace: string, uid: string) {
    return NAMESPACED.flatMap(type =>
      this.ctx.store
        .select(resourceKey(type), namespace, o =>
          (o.metadata.ownerReferences ?? []).some(r => r.uid === uid),
        )
        .map(object => ({ type, object })),
    );
  }

  private deleteAll(
    dependents: ReturnType<GarbageCollector['dependentsOf']>,
    opts: DeleteOptions,
  ) {
    for (const { type, object } of dependents) {
      if (object.metadata.deletionTimestamp) continue;
      this.ctx.ops.delete(
        type,
        object.metadata.namespace!,
        object.metadata.name,
        opts,
      );
    }
  }

  private dropFinalizer(
    resource: string,
    owner: KubeObject,
    finalizer: string,
  ) {
    const type = RESOURCES.find(r => resourceKey(r) === resource)!;
    owner.metadata.finalizers = (owner.metadata.finalizers ?? []).filter(
      f => f !== finalizer,
    );
    this.ctx.ops.update(
      type,
      owner.metadata.namespace ?? '',
      owner.metadata.name,
      owner,
    );
  }
}

function ownerKey(resource: string, object: KubeObject) {
  return `${resource}|${object.metadata.namespace ?? ''}|${
    object.metadata.name
  }|${object.metadata.uid}`;
}
