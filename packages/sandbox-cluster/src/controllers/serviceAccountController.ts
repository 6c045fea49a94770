import { resourceByKind } from '../api/resources';
import { ChangeEvent } from '../store/types';
import { Controller, ControllerContext } from './Controller';

const SERVICE_ACCOUNTS = resourceByKind('ServiceAccount');

/**
 * kube-controller-manager's service account controller: every active namespace has a
 * `default` ServiceAccount, recreated when deleted. Pods that name none run as it, so
 * bindings to `<namespace>:default` grant every such pod.
 */
export class ServiceAccountController implements Controller {
  readonly name = 'serviceaccount';

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent) {
    if (event.resource === '/namespaces' && event.type !== 'DELETED')
      return [event.object.metadata.name];
    if (
      event.resource === '/serviceaccounts' &&
      event.type === 'DELETED' &&
      event.object.metadata.name === 'default'
    )
      return [event.object.metadata.namespace ?? ''];
    return [];
  }

  reconcile(namespace: string) {
    const ns = this.ctx.store.get('/namespaces', '', namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (this.ctx.store.get('/serviceaccounts', namespace, 'default')) return;
    this.ctx.ops.create(SERVICE_ACCOUNTS, namespace, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
  }
}
