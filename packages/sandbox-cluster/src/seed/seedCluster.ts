import { ApiOperations } from '../api/operations';
import { resourceByKind } from '../api/resources';
import { CatalogService, readCatalogServices } from './readCatalog';
import { serviceObjects } from './serviceObjects';

/** Namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export function ensureNamespace(ops: ApiOperations, name: string) {
  const namespaces = resourceByKind('Namespace');
  if (ops.store.get('/namespaces', '', name)) return;
  ops.create(namespaces, '', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  });
}

/**
 * Creates each catalog service's objects in its production namespace (at least 2
 * replicas) and its staging namespace (at least 1); controllers then bring up the pods.
 */
export function seedCluster(
  ops: ApiOperations,
  catalogDir: string,
  progressDeadlineSeconds: number,
): CatalogService[] {
  const services = readCatalogServices(catalogDir);
  for (const svc of services) {
    const targets: Array<[string, number]> = [
      [svc.namespace, Math.max(svc.minReplicas ?? 2, 2)],
    ];
    if (svc.stagingNamespace)
      targets.push([svc.stagingNamespace, Math.max(svc.minReplicas ?? 1, 1)]);
    for (const [namespace, replicas] of targets) {
      ensureNamespace(ops, namespace);
      for (const object of serviceObjects(
        svc,
        namespace,
        replicas,
        progressDeadlineSeconds,
      )) {
        ops.create(resourceByKind(object.kind), namespace, object);
      }
    }
  }
  return services;
}
