/** One REST resource the sandbox serves, as discovery describes it. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  subresources: Array<'status' | 'scale' | 'log'>;
  /** Field selectors accepted besides `metadata.name` and `metadata.namespace`. */
  fieldSelectors?: string[];
  /** Whether spec changes bump `metadata.generation` (workloads and other controller inputs). */
  hasGeneration?: boolean;
  /** Computed on read, never stored (metrics): only get and list. */
  computed?: boolean;
  /** Served as a CustomResourceDefinition: no strategic merge patches, as on a real apiserver. */
  custom?: boolean;
  /** Discovery categories, e.g. `all` (`kubectl get all`) or `cert-manager`. */
  categories?: string[];
}

const ALL_VERBS = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function type(
  group: string,
  version: string,
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    subresources: [],
    hasGeneration: group !== '',
    ...extra,
  };
}

/**
 * Every resource the sandbox serves. Kinds without a controller (StatefulSets, Jobs, ...)
 * are stored like any other, so the Backstage plugin's LISTs get valid, usually empty, lists.
 */
export const RESOURCES: ResourceType[] = [
  type('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
    fieldSelectors: ['status.phase'],
  }),
  type('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
    fieldSelectors: ['status.phase', 'spec.nodeName', 'status.podIP'],
  }),
  type('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  type('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  type('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  type('', 'v1', 'Secret', 'secrets', { fieldSelectors: ['type'] }),
  type('', 'v1', 'Event', 'events', {
    shortNames: ['ev'],
    fieldSelectors: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'type',
      'source',
      'reportingComponent',
    ],
  }),
  type('', 'v1', 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  type('', 'v1', 'ResourceQuota', 'resourcequotas', {
    shortNames: ['quota'],
    subresources: ['status'],
  }),
  type('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  type('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  type('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  type('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  type(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    {
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: ['status'],
    },
  ),
  type('batch', 'v1', 'Job', 'jobs', {
    subresources: ['status'],
    categories: ['all'],
  }),
  type('batch', 'v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
  }),
  type('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    subresources: ['status'],
  }),
  type('networking.k8s.io', 'v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
    subresources: ['status'],
  }),
  type('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
  }),
  ...['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map(kind =>
    type('rbac.authorization.k8s.io', 'v1', kind, `${kind.toLowerCase()}s`, {
      namespaced: !kind.startsWith('Cluster'),
      hasGeneration: false,
    }),
  ),
  // cert-manager's CRDs (cert-manager.io/v1), with their names and status subresources.
  type('cert-manager.io', 'v1', 'Certificate', 'certificates', {
    shortNames: ['cert', 'certs'],
    subresources: ['status'],
    categories: ['cert-manager'],
    custom: true,
  }),
  type('cert-manager.io', 'v1', 'Issuer', 'issuers', {
    shortNames: ['iss'],
    subresources: ['status'],
    categories: ['cert-manager'],
    custom: true,
  }),
  type('cert-manager.io', 'v1', 'ClusterIssuer', 'clusterissuers', {
    namespaced: false,
    shortNames: ['ciss'],
    subresources: ['status'],
    categories: ['cert-manager'],
    custom: true,
  }),
  // trivy-operator's report CRDs (aquasecurity.github.io/v1alpha1): no subresources.
  type(
    'aquasecurity.github.io',
    'v1alpha1',
    'VulnerabilityReport',
    'vulnerabilityreports',
    { shortNames: ['vuln', 'vulns'], custom: true },
  ),
  type(
    'aquasecurity.github.io',
    'v1alpha1',
    'ConfigAuditReport',
    'configauditreports',
    { shortNames: ['configaudit', 'configaudits'], custom: true },
  ),
  type('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', { computed: true }),
];

/** Verbs discovery advertises for a resource. */
export function verbsOf(r: ResourceType) {
  return r.computed ? ['get', 'list'] : ALL_VERBS;
}

/** Store key of a resource: `<group>/<plural>`. */
export function resourceKey(r: Pick<ResourceType, 'group' | 'plural'>) {
  return `${r.group}/${r.plural}`;
}

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>) {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Group versions served, in discovery order. */
export function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(apiVersionOf(r), r);
  return [...seen.values()];
}

export function findResource(group: string, version: string, plural: string) {
  return RESOURCES.find(
    r => r.group === group && r.version === version && r.plural === plural,
  );
}

/** The stored resource of a kind (PodMetrics shares the plural `pods` but is computed). */
export function resourceByKind(kind: string) {
  const found = RESOURCES.find(r => r.kind === kind && !r.computed);
  if (!found) throw new Error(`sandbox has no resource of kind ${kind}`);
  return found;
}
