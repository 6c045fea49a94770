import { selectorToString } from '../api/selectors';
import { KubeObject } from '../store/types';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
  /** `null` when a custom resource lacks the field (kubectl shows `<none>`). */
  cell(object: KubeObject): string | number | null;
}

/** `5s`, `3m`, `2h`, `4d`: the short age kubectl shows. */
export function humanAge(from: string | undefined, now = Date.now()) {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const col = (
  name: string,
  cell: Column['cell'],
  priority: 0 | 1 = 0,
  type: Column['type'] = 'string',
): Column => ({ name, type, description: name, priority, cell });

const nameCol = col('Name', o => o.metadata.name);
const ageCol = col(
  'Age',
  o => humanAge(o.metadata.creationTimestamp),
  0,
  'date',
);
const images = (o: KubeObject) =>
  (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image).join(',');
const containers = (o: KubeObject) =>
  (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.name).join(',');

function podStatus(pod: KubeObject) {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (pod.status?.containerStatuses ?? []).find(
    (s: any) => s.state?.waiting?.reason,
  );
  if (waiting) return waiting.state.waiting.reason;
  if (!pod.spec?.nodeName) return 'Pending';
  if (!pod.status?.startTime) return 'ContainerCreating';
  return pod.status?.phase ?? 'Unknown';
}

function servicePorts(svc: KubeObject) {
  return (
    (svc.spec?.ports ?? [])
      .map(
        (p: any) =>
          `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${
            p.protocol ?? 'TCP'
          }`,
      )
      .join(',') || '<none>'
  );
}

/** kubectl's "Created At" of RBAC roles: the creation time in RFC 3339. */
const createdAtCol = col(
  'Created At',
  o => o.metadata.creationTimestamp ?? '',
  0,
  'date',
);

/** A binding's subjects of one kind, as `kubectl get rolebindings -o wide` lists them. */
function subjects(o: KubeObject, kind: string) {
  return (o.subjects ?? [])
    .filter((s: any) => s.kind === kind)
    .map((s: any) =>
      kind === 'ServiceAccount' && s.namespace
        ? `${s.namespace}/${s.name}`
        : s.name,
    )
    .join(', ');
}

const bindingColumns = [
  nameCol,
  col('Role', o => `${o.roleRef?.kind}/${o.roleRef?.name}`),
  ageCol,
  col('Users', o => subjects(o, 'User'), 1),
  col('Groups', o => subjects(o, 'Group'), 1),
  col('ServiceAccounts', o => subjects(o, 'ServiceAccount'), 1),
];

/** A condition's field, as the CRDs' `.status.conditions[?(@.type == "Ready")]` columns read it. */
const readyCondition = (o: KubeObject, field: 'status' | 'message') =>
  (o.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.[field] ??
  null;

const issuerColumns = [
  nameCol,
  col('Ready', o => readyCondition(o, 'status')),
  col('Status', o => readyCondition(o, 'message'), 1),
  ageCol,
];

/** trivy-operator's `.report.summary.<severity>Count` columns (wide only). */
const severityCols = (severities: string[]) =>
  severities.map(s =>
    col(
      s,
      o => o.report?.summary?.[`${s.toLowerCase()}Count`] ?? null,
      1,
      'integer',
    ),
  );

function ingressHosts(o: KubeObject) {
  const hosts: string[] = (o.spec?.rules ?? []).map((r: any) => r.host || '*');
  if (hosts.length > 4)
    return `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...`;
  return hosts.join(',') || '*';
}

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    nameCol,
    col(
      'Ready',
      o => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    ),
    col('Up-to-date', o => o.status?.updatedReplicas ?? 0, 0, 'integer'),
    col('Available', o => o.status?.availableReplicas ?? 0, 0, 'integer'),
    ageCol,
    col('Containers', containers, 1),
    col('Images', images, 1),
    col('Selector', o => selectorToString(o.spec?.selector ?? {}), 1),
  ],
  ReplicaSet: [
    nameCol,
    col('Desired', o => o.spec?.replicas ?? 0, 0, 'integer'),
    col('Current', o => o.status?.replicas ?? 0, 0, 'integer'),
    col('Ready', o => o.status?.readyReplicas ?? 0, 0, 'integer'),
    ageCol,
    col('Containers', containers, 1),
    col('Images', images, 1),
    col('Selector', o => selectorToString(o.spec?.selector ?? {}), 1),
  ],
  Pod: [
    nameCol,
    col(
      'Ready',
      o =>
        `${
          (o.status?.containerStatuses ?? []).filter((s: any) => s.ready).length
        }/${(o.spec?.containers ?? []).length}`,
    ),
    col('Status', podStatus),
    col(
      'Restarts',
      o =>
        (o.status?.containerStatuses ?? []).reduce(
          (n: number, s: any) => n + (s.restartCount ?? 0),
          0,
        ),
      0,
      'integer',
    ),
    ageCol,
    col('IP', o => o.status?.podIP ?? '<none>', 1),
    col('Node', o => o.spec?.nodeName ?? '<none>', 1),
    col('Nominated Node', () => '<none>', 1),
    col('Readiness Gates', () => '<none>', 1),
  ],
  Service: [
    nameCol,
    col('Type', o => o.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', o => o.spec?.clusterIP ?? '<none>'),
    col('External-IP', o => (o.spec?.externalIPs ?? []).join(',') || '<none>'),
    col('Port(s)', servicePorts),
    ageCol,
    col(
      'Selector',
      o =>
        Object.entries(o.spec?.selector ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '<none>',
      1,
    ),
  ],
  ConfigMap: [
    nameCol,
    col(
      'Data',
      o =>
        Object.keys(o.data ?? {}).length +
        Object.keys(o.binaryData ?? {}).length,
      0,
      'integer',
    ),
    ageCol,
  ],
  Secret: [
    nameCol,
    col('Type', o => o.type ?? 'Opaque'),
    col('Data', o => Object.keys(o.data ?? {}).length, 0, 'integer'),
    ageCol,
  ],
  Namespace: [nameCol, col('Status', o => o.status?.phase ?? 'Active'), ageCol],
  ServiceAccount: [
    nameCol,
    col('Secrets', o => (o.secrets ?? []).length, 0, 'integer'),
    ageCol,
  ],
  Role: [nameCol, createdAtCol],
  ClusterRole: [nameCol, createdAtCol],
  RoleBinding: bindingColumns,
  ClusterRoleBinding: bindingColumns,
  NetworkPolicy: [
    nameCol,
    col(
      'Pod-Selector',
      o => selectorToString(o.spec?.podSelector ?? {}) || '<none>',
    ),
    ageCol,
  ],
  Ingress: [
    nameCol,
    col('Class', o => o.spec?.ingressClassName ?? '<none>'),
    col('Hosts', ingressHosts),
    col('Address', o =>
      (o.status?.loadBalancer?.ingress ?? [])
        .map((i: any) => i.ip ?? i.hostname)
        .join(','),
    ),
    col('Ports', o => ((o.spec?.tls ?? []).length ? '80, 443' : '80')),
    ageCol,
  ],
  // Custom resources: the additionalPrinterColumns of cert-manager's and trivy-operator's CRDs.
  Certificate: [
    nameCol,
    col('Ready', o => readyCondition(o, 'status')),
    col('Secret', o => o.spec?.secretName ?? null),
    col('Issuer', o => o.spec?.issuerRef?.name ?? null, 1),
    col('Status', o => readyCondition(o, 'message'), 1),
    col('Expiration', o => o.status?.notAfter ?? null, 1),
    ageCol,
  ],
  Issuer: issuerColumns,
  ClusterIssuer: issuerColumns,
  VulnerabilityReport: [
    nameCol,
    col('Repository', o => o.report?.artifact?.repository ?? null),
    col('Tag', o => o.report?.artifact?.tag ?? null),
    col('Scanner', o => o.report?.scanner?.name ?? null),
    ageCol,
    ...severityCols(['Critical', 'High', 'Medium', 'Low', 'Unknown']),
  ],
  ConfigAuditReport: [
    nameCol,
    col('Scanner', o => o.report?.scanner?.name ?? null),
    ageCol,
    ...severityCols(['Critical', 'High', 'Medium', 'Low']),
  ],
  Event: [
    col('Last Seen', o =>
      humanAge(o.lastTimestamp ?? o.metadata.creationTimestamp),
    ),
    col('Type', o => o.type ?? ''),
    col('Reason', o => o.reason ?? ''),
    col(
      'Object',
      o =>
        `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${
          o.involvedObject?.name ?? ''
        }`,
    ),
    col('Message', o => o.message ?? ''),
  ],
  HorizontalPodAutoscaler: [
    nameCol,
    col(
      'Reference',
      o => `${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`,
    ),
    col(
      'Targets',
      o =>
        (o.spec?.metrics ?? [])
          .map((m: any) => {
            const name = m.resource?.name ?? m.type;
            const current = (o.status?.currentMetrics ?? []).find(
              (c: any) => c.resource?.name === name,
            )?.resource?.current?.averageUtilization;
            return `${name}: ${
              current === undefined ? '<unknown>' : `${current}%`
            }/${m.resource?.target?.averageUtilization ?? '?'}%`;
          })
          .join(', ') || '<none>',
    ),
    col('MinPods', o => o.spec?.minReplicas ?? 1, 0, 'integer'),
    col('MaxPods', o => o.spec?.maxReplicas ?? 0, 0, 'integer'),
    col('Replicas', o => o.status?.currentReplicas ?? 0, 0, 'integer'),
    ageCol,
  ],
};

/** Whether the Accept header asks for a `meta.k8s.io` Table, as `kubectl get` does. */
export function wantsTable(accept: string | undefined) {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

/**
 * Renders objects as a `meta.k8s.io/v1` Table. Each row carries the object as
 * PartialObjectMetadata (the default) or whole with `includeObject=Object`.
 */
export function toTable(
  kind: string,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | null,
) {
  const columns = COLUMNS[kind] ?? [nameCol, ageCol];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type === 'date' ? 'string' : c.type,
      format: c.name === 'Name' ? 'name' : '',
      description: c.description,
      priority: c.priority,
    })),
    rows: objects.map(o => ({
      cells: columns.map(c => c.cell(o)),
      object: rowObject(o, includeObject),
    })),
  };
}

function rowObject(o: KubeObject, includeObject: string | null) {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.metadata,
  };
}
