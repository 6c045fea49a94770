import { RESOURCES, resourceByKind, resourceKey } from '../api/resources';
import { ChangeEvent } from '../store/types';
import { Controller, ControllerContext } from './Controller';

const NAMESPACES = resourceByKind('Namespace');
const NAMESPACED = RESOURCES.filter(r => r.namespaced && !r.computed);

/** Empties a terminating namespace, then lets it go by dropping its `kubernetes` finalizer. */
export class NamespaceController implements Controller {
  readonly name = 'namespace';

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    if (event.resource === '/namespaces')
      return event.type === 'DELETED' ? [] : [event.object.metadata.name];
    return event.type === 'DELETED'
      ? [event.object.metadata.namespace ?? '']
      : [];
  }

  reconcile(name: string) {
    const ns = this.ctx.store.get('/namespaces', '', name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const type of NAMESPACED) {
      for (const object of this.ctx.store.list(resourceKey(type), name)) {
        remaining += 1;
        if (!object.metadata.deletionTimestamp) {
          this.ctx.ops.delete(type, name, object.metadata.name, {
            propagationPolicy: 'Background',
          });
        }
      }
    }
    if (remaining === 0) {
      ns.metadata.finalizers = (ns.metadata.finalizers ?? []).filter(
        f => f !== 'kubernetes',
      );
      this.ctx.ops.update(NAMESPACES, '', name, ns);
    }
  }
}
