import { deepEqual } from '../store/deepEqual';
import { resourceByKind } from '../api/resources';
import { Controller, ControllerContext } from '../controllers/Controller';
import { ChangeEvent, KubeObject } from '../store/types';
import { getCondition, setCondition } from './conditions';
import {
  CLUSTER_ISSUERS,
  ISSUERS,
  issuerReadiness,
  secretNamespaceOf,
} from './issuers';

/**
 * cert-manager's issuer setup: keeps the `Ready` condition of Issuers and ClusterIssuers.
 * `selfSigned` is always ready; `ca` is ready while its Secret holds a CA key pair (in the
 * issuer's namespace, or `cert-manager` for ClusterIssuers); other kinds cannot issue here.
 * Keys are `<namespace>/<name>`, with an empty namespace for ClusterIssuers.
 */
export class IssuerController implements Controller {
  readonly name = 'cert-manager-issuers';

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent): string[] {
    const { object } = event;
    if (event.resource === ISSUERS || event.resource === CLUSTER_ISSUERS)
      return event.type === 'DELETED'
        ? []
        : [`${object.metadata.namespace ?? ''}/${object.metadata.name}`];
    if (event.resource !== '/secrets') return [];
    // A CA Secret appearing, changing or going changes its issuers' readiness.
    const secretNs = object.metadata.namespace;
    const uses = (issuer: KubeObject) =>
      issuer.spec?.ca?.secretName === object.metadata.name &&
      secretNamespaceOf(issuer) === secretNs;
    return [
      ...this.ctx.store.select(ISSUERS, secretNs, uses),
      ...this.ctx.store.select(CLUSTER_ISSUERS, undefined, uses),
    ].map(i => `${i.metadata.namespace ?? ''}/${i.metadata.name}`);
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const resource = namespace ? ISSUERS : CLUSTER_ISSUERS;
    const issuer = this.ctx.store.get(resource, namespace, name);
    if (!issuer || issuer.metadata.deletionTimestamp) return;
    const ready = issuerReadiness(this.ctx.store, issuer);
    const conditions = setCondition(issuer.status?.conditions, ready);
    if (deepEqual(conditions, issuer.status?.conditions ?? [])) return;
    const before = getCondition(issuer.status?.conditions, 'Ready');
    issuer.status = { ...issuer.status, conditions };
    this.ctx.ops.update(resourceByKind(issuer.kind), namespace, name, issuer, {
      subresource: 'status',
    });
    if (before?.reason !== ready.reason && ready.reason !== 'IsReady') {
      this.ctx.events.record(
        issuer,
        ready.status === 'True' ? 'Normal' : 'Warning',
        ready.reason!,
        ready.message!,
        'cert-manager-issuers',
      );
    }
  }
}
