import { ApiOperations } from '../api/operations';
import { resourceByKind } from '../api/resources';

const RBAC = 'rbac.authorization.k8s.io';
const BOOTSTRAP = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const WORKLOADS = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'services',
      'configmaps',
      'serviceaccounts',
      'persistentvolumeclaims',
    ],
  },
  {
    apiGroups: ['apps'],
    resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'networkpolicies'],
  },
];
const rules = (verbs: string[]) => WORKLOADS.map(r => ({ ...r, verbs }));

/**
 * The apiserver's bootstrap roles that bindings refer to: `cluster-admin` (everything,
 * bound to the `system:masters` group), and the user-facing `admin`, `edit` and `view`,
 * here with their main rules rather than aggregated.
 */
export function seedBootstrapRbac(ops: ApiOperations) {
  const roles = resourceByKind('ClusterRole');
  const bindings = resourceByKind('ClusterRoleBinding');
  const clusterRole = (name: string, roleRules: object[]) =>
    ops.store.get(`${RBAC}/clusterroles`, '', name) ||
    ops.create(roles, '', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name, ...BOOTSTRAP },
      rules: roleRules,
    });
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]);
  clusterRole('view', rules(READ));
  clusterRole('edit', [
    ...rules([...READ, ...WRITE]),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
  ]);
  clusterRole('admin', [
    ...rules([...READ, ...WRITE]),
    { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
    {
      apiGroups: [RBAC],
      resources: ['roles', 'rolebindings'],
      verbs: [...READ, ...WRITE],
    },
  ]);
  if (!ops.store.get(`${RBAC}/clusterrolebindings`, '', 'cluster-admin')) {
    ops.create(bindings, '', {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'cluster-admin', ...BOOTSTRAP },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'system:masters' }],
    });
  }
}
