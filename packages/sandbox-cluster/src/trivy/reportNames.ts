import { fnv1a32, safeEncode } from '../api/meta';
import { isValidLabelValue } from '../api/validation';

/** The labels trivy-operator puts on its reports. */
export const TRIVY_LABELS = {
  kind: 'trivy-operator.resource.kind',
  name: 'trivy-operator.resource.name',
  nameHash: 'trivy-operator.resource.name-hash',
  namespace: 'trivy-operator.resource.namespace',
  container: 'trivy-operator.container.name',
  specHash: 'resource-spec-hash',
  managedBy: 'app.kubernetes.io/managed-by',
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * trivy-operator's `kube.ComputeHash` of a string: FNV-1a over the value as go-spew's
 * `%#v` prints it (`(string)<value>`), the decimal sum spelt with `SafeEncodeString`.
 */
export function computeHash(value: string): string {
  return safeEncode(String(fnv1a32(`(string)${value}`)));
}

/**
 * `<kind>-<workload>-<container>`, or `<kind>-<hash of "workload-container">` when that
 * is too long or otherwise not a valid label value.
 */
export function vulnerabilityReportName(
  kind: string,
  workload: string,
  container: string,
) {
  const name = `${kind.toLowerCase()}-${workload}-${container}`;
  return isValidLabelValue(name)
    ? name
    : `${kind.toLowerCase()}-${computeHash(`${workload}-${container}`)}`;
}

/** `<kind>-<workload>`, or `<kind>-<hash of workload>` when not a DNS-1123 label. */
export function configAuditReportName(kind: string, workload: string) {
  const name = `${kind.toLowerCase()}-${workload}`;
  return name.length <= 63 && DNS_LABEL.test(name)
    ? name
    : `${kind.toLowerCase()}-${computeHash(workload)}`;
}

/**
 * The labels (and annotation) naming the scanned workload: its name as a label when it
 * is a valid label value, else `trivy-operator.resource.name-hash` plus the name as an
 * annotation, as trivy-operator's `ObjectToObjectMeta` writes them.
 */
export function workloadMetadata(
  kind: string,
  name: string,
  namespace: string,
) {
  const labels: Record<string, string> = {
    [TRIVY_LABELS.kind]: kind,
    [TRIVY_LABELS.namespace]: namespace,
  };
  const annotations: Record<string, string> = {};
  if (isValidLabelValue(name)) labels[TRIVY_LABELS.name] = name;
  else {
    labels[TRIVY_LABELS.nameHash] = computeHash(name);
    annotations[TRIVY_LABELS.name] = name;
  }
  return { labels, annotations };
}
