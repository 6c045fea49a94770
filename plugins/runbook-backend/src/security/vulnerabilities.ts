import type { V1Deployment } from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ImageVulnerabilities,
  TrivyReport,
  VULNERABILITY_SEVERITIES,
  VulnerabilityCounts,
  VulnerabilityFinding,
  VulnerabilitySeverity,
} from '@nexus-cos/plugin-runbook-common';
import type { SecuritySnapshot, ServiceRef } from './SecurityInventory';

/** How many findings of an image are shown. */
export const TOP_FINDINGS = 10;

const LABEL = {
  kind: 'trivy-operator.resource.kind',
  name: 'trivy-operator.resource.name',
  nameHash: 'trivy-operator.resource.name-hash',
  container: 'trivy-operator.container.name',
};

/**
 * An image reference as Docker writes it short: without `docker.io/` (or
 * `index.docker.io/`) and `library/`, so that a CI report and a pod spec agree.
 */
export function normalizeImage(image: string): string {
  return image
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

export const zeroCounts = (): VulnerabilityCounts => ({
  CRITICAL: 0,
  HIGH: 0,
  MEDIUM: 0,
  LOW: 0,
  UNKNOWN: 0,
});

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * trivy-operator's `kube.ComputeHash` of a workload name, which it writes as
 * `trivy-operator.resource.name-hash` when the name is not a valid label value: FNV-1a
 * of `(string)<name>`, its decimal digits mapped through apimachinery's safe alphabet.
 */
export function trivyNameHash(name: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`(string)${name}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)]
    .map(ch => ALPHABET[ch.codePointAt(0)! % ALPHABET.length])
    .join('');
}

const bySeverity = (a: VulnerabilityFinding, b: VulnerabilityFinding) =>
  VULNERABILITY_SEVERITIES.indexOf(a.severity) -
  VULNERABILITY_SEVERITIES.indexOf(b.severity);

/** The service's Deployments: those labelled `backstage.io/kubernetes-id=<svc>` in its namespace. */
export function serviceDeployments(
  snapshot: SecuritySnapshot,
  { namespace, service }: ServiceRef,
): V1Deployment[] {
  return snapshot.deployments.filter(
    d =>
      d.metadata?.namespace === namespace &&
      d.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === service,
  );
}

/**
 * The Deployment a report is about. trivy-operator reports a Deployment's pods against
 * its **ReplicaSet**, so ReplicaSet → Deployment; the workload is named by a label, or
 * (when its name is not a valid label value) by `name-hash` plus an annotation.
 */
function deploymentOfReport(
  snapshot: SecuritySnapshot,
  report: any,
  deployments: V1Deployment[],
): V1Deployment | undefined {
  const labels = report.metadata?.labels ?? {};
  const namespace = report.metadata?.namespace;
  const kind = labels[LABEL.kind];
  const inNamespace = <
    T extends { metadata?: { name?: string; namespace?: string } },
  >(
    items: T[],
  ) => items.filter(i => i.metadata?.namespace === namespace);
  const named = (candidates: Array<{ metadata?: { name?: string } }>) => {
    const name =
      labels[LABEL.name] ?? report.metadata?.annotations?.[LABEL.name];
    if (name) return name as string;
    const hash = labels[LABEL.nameHash];
    return hash
      ? candidates
          .map(c => c.metadata?.name ?? '')
          .find(n => trivyNameHash(n) === hash)
      : undefined;
  };
  const byName = (name: string | undefined) =>
    deployments.find(d => d.metadata?.name === name);
  if (kind === 'Deployment') return byName(named(deployments));
  if (kind === 'ReplicaSet') {
    const replicaSets = inNamespace(snapshot.replicaSets);
    const rsName = named(replicaSets);
    const rs = replicaSets.find(r => r.metadata?.name === rsName);
    const owner = rs?.metadata?.ownerReferences?.find(
      o => o.kind === 'Deployment',
    );
    return byName(owner?.name);
  }
  return undefined;
}

function findingOf(v: any): VulnerabilityFinding {
  return {
    id: v.vulnerabilityID,
    package: v.resource ?? '',
    ...(v.installedVersion ? { installedVersion: v.installedVersion } : {}),
    ...(v.fixedVersion ? { fixedVersion: v.fixedVersion } : {}),
    severity: VULNERABILITY_SEVERITIES.includes(v.severity)
      ? v.severity
      : 'UNKNOWN',
    ...(v.title ? { title: v.title } : {}),
    ...(v.primaryLink ? { link: v.primaryLink } : {}),
  };
}

/**
 * The trivy-operator VulnerabilityReports of a service's Deployments, one entry per
 * image (the newest scan of it). Counts come from `report.summary`, which may count more
 * than the report lists.
 */
export function operatorVulnerabilities(
  snapshot: SecuritySnapshot,
  ref: ServiceRef,
): ImageVulnerabilities[] {
  const deployments = serviceDeployments(snapshot, ref);
  const images = new Map<string, ImageVulnerabilities>();
  for (const report of snapshot.vulnerabilityReports) {
    if (report.metadata?.namespace !== ref.namespace) continue;
    const deployment = deploymentOfReport(snapshot, report, deployments);
    if (!deployment) continue;
    const containerName = report.metadata?.labels?.[LABEL.container];
    const container = deployment.spec?.template?.spec?.containers?.find(
      c => c.name === containerName,
    );
    const r = report.report ?? {};
    const image = normalizeImage(
      container?.image ??
        `${r.artifact?.repository}${
          r.artifact?.tag ? `:${r.artifact.tag}` : ''
        }`,
    );
    const s = r.summary ?? {};
    const entry: ImageVulnerabilities = {
      image,
      source: 'trivy-operator',
      scannedAt: r.updateTimestamp ?? report.metadata?.creationTimestamp ?? '',
      counts: {
        CRITICAL: s.criticalCount ?? 0,
        HIGH: s.highCount ?? 0,
        MEDIUM: s.mediumCount ?? 0,
        LOW: s.lowCount ?? 0,
        UNKNOWN: s.unknownCount ?? 0,
      },
      top: (r.vulnerabilities ?? [])
        .map(findingOf)
        .sort(bySeverity)
        .slice(0, TOP_FINDINGS),
      workloads: [`Deployment/${deployment.metadata?.name}/${containerName}`],
    };
    const seen = images.get(image);
    if (!seen) images.set(image, entry);
    else {
      const newer = entry.scannedAt > seen.scannedAt ? entry : seen;
      images.set(image, {
        ...newer,
        workloads: [
          ...new Set([...seen.workloads!, ...entry.workloads!]),
        ].sort(),
      });
    }
  }
  return [...images.values()].sort((a, b) => a.image.localeCompare(b.image));
}

/** The images a service's Deployments run (every container). */
export function serviceImages(
  snapshot: SecuritySnapshot,
  ref: ServiceRef,
): string[] {
  return [
    ...new Set(
      serviceDeployments(snapshot, ref).flatMap(d =>
        (d.spec?.template?.spec?.containers ?? [])
          .map(c => c.image)
          .filter((i): i is string => Boolean(i))
          .map(normalizeImage),
      ),
    ),
  ].sort();
}

/** Counts by severity and the worst findings of a `trivy image -f json` report. */
export function summarizeTrivyReport(report: TrivyReport): {
  counts: VulnerabilityCounts;
  top: VulnerabilityFinding[];
} {
  const counts = zeroCounts();
  const findings: VulnerabilityFinding[] = [];
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      const severity = v.Severity as VulnerabilitySeverity;
      counts[severity] += 1;
      findings.push({
        id: v.VulnerabilityID,
        package: v.PkgName ?? '',
        ...(v.InstalledVersion ? { installedVersion: v.InstalledVersion } : {}),
        ...(v.FixedVersion ? { fixedVersion: v.FixedVersion } : {}),
        severity,
        ...(v.Title ? { title: v.Title } : {}),
        ...(v.PrimaryURL ? { link: v.PrimaryURL } : {}),
      });
    }
  }
  return { counts, top: findings.sort(bySeverity).slice(0, TOP_FINDINGS) };
}
