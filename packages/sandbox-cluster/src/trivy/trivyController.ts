import { objectKey, timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { Controller, ControllerContext } from '../controllers/Controller';
import { deepEqual } from '../store/deepEqual';
import { ChangeEvent, KubeObject } from '../store/types';
import { auditPodTemplate } from './configAudit';
import { ImageScan, ImageScans, Severity } from './imageScans';
import {
  TRIVY_LABELS,
  computeHash,
  configAuditReportName,
  vulnerabilityReportName,
  workloadMetadata,
} from './reportNames';

const VULNERABILITY_REPORTS = resourceByKind('VulnerabilityReport');
const CONFIG_AUDIT_REPORTS = resourceByKind('ConfigAuditReport');
const VULNS_KEY = 'aquasecurity.github.io/vulnerabilityreports';
const AUDITS_KEY = 'aquasecurity.github.io/configauditreports';
const REVISION = 'deployment.kubernetes.io/revision';

/** The scanner trivy-operator names in its reports. */
const TRIVY_SCANNER = {
  name: 'Trivy',
  vendor: 'Aqua Security',
  version: '0.58.1',
};

const SEVERITIES: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** `registry/repository:tag` split as trivy-operator reports it (Docker Hub by default). */
function parseImage(image: string) {
  const at = image.split('@')[0];
  const colon = at.lastIndexOf(':');
  const hasTag = colon > at.lastIndexOf('/');
  const name = hasTag ? at.slice(0, colon) : at;
  const tag = hasTag ? at.slice(colon + 1) : 'latest';
  const [first, ...rest] = name.split('/');
  const isRegistry =
    rest.length > 0 && (/[.:]/.test(first) || first === 'localhost');
  return {
    server: isRegistry ? first : 'index.docker.io',
    repository: isRegistry ? rest.join('/') : name,
    tag,
  };
}

/**
 * trivy-operator's workload scanning, for ReplicaSets: for the current ReplicaSet of a
 * Deployment (its revision is the Deployment's) with a running pod, one
 * VulnerabilityReport per container whose image `ImageScans` knows, and one
 * ConfigAuditReport, both owned by the ReplicaSet and named and labelled as
 * trivy-operator names them. A ReplicaSet that stops being current loses its reports,
 * as with `scanOnlyCurrentRevisions`; deleted ones lose them through garbage collection.
 */
export class TrivyController implements Controller {
  readonly name = 'trivy-operator';

  constructor(
    private readonly ctx: ControllerContext,
    private readonly scans: ImageScans,
  ) {
    scans.onChange(image => {
      for (const rs of this.ctx.store.select('apps/replicasets', undefined, r =>
        containers(r).some(c => c.image === image),
      ))
        this.ctx.enqueue(this.name, objectKey(rs));
    });
  }

  keysFor(event: ChangeEvent): string[] {
    const { object } = event;
    if (event.type === 'DELETED') return [];
    if (event.resource === 'apps/replicasets') return [objectKey(object)];
    if (event.resource === '/pods')
      return (object.metadata.ownerReferences ?? [])
        .filter(r => r.controller && r.kind === 'ReplicaSet')
        .map(r => `${object.metadata.namespace}/${r.name}`);
    if (
      event.resource === 'apps/deployments' &&
      event.previous?.metadata.annotations?.[REVISION] !==
        object.metadata.annotations?.[REVISION]
    )
      return this.ctx.store
        .select('apps/replicasets', object.metadata.namespace, rs =>
          (rs.metadata.ownerReferences ?? []).some(
            r => r.uid === object.metadata.uid,
          ),
        )
        .map(objectKey);
    return [];
  }

  reconcile(key: string) {
    const [namespace, name] = key.split('/');
    const rs = this.ctx.store.get('apps/replicasets', namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const scanned = containers(rs)
      .map(c => ({
        container: c.name,
        image: c.image,
        scan: this.scans.get(c.image),
      }))
      .filter(
        (c): c is { container: string; image: string; scan: ImageScan } =>
          c.scan !== undefined,
      );
    const wanted = new Set<string>();
    if (scanned.length > 0 && this.isCurrent(rs)) {
      if (!this.hasRunningPod(rs)) return;
      for (const c of scanned) {
        wanted.add(
          this.writeVulnerabilityReport(rs, c.container, c.image, c.scan),
        );
      }
      wanted.add(this.writeConfigAuditReport(rs));
    }
    this.deleteReportsExcept(rs, wanted);
  }

  /** Whether a ReplicaSet is its Deployment's current revision (or has no Deployment). */
  private isCurrent(rs: KubeObject) {
    const owner = (rs.metadata.ownerReferences ?? []).find(
      r => r.controller && r.kind === 'Deployment',
    );
    if (!owner) return true;
    const deployment = this.ctx.store.get(
      'apps/deployments',
      rs.metadata.namespace!,
      owner.name,
    );
    return (
      deployment?.metadata.annotations?.[REVISION] ===
      rs.metadata.annotations?.[REVISION]
    );
  }

  private hasRunningPod(rs: KubeObject) {
    return (
      this.ctx.store.select(
        '/pods',
        rs.metadata.namespace,
        p =>
          p.status?.phase === 'Running' &&
          (p.metadata.ownerReferences ?? []).some(
            r => r.uid === rs.metadata.uid,
          ),
      ).length > 0
    );
  }

  private reportMetadata(rs: KubeObject, name: string, extraLabels: object) {
    const { labels, annotations } = workloadMetadata(
      'ReplicaSet',
      rs.metadata.name,
      rs.metadata.namespace!,
    );
    return {
      name,
      namespace: rs.metadata.namespace!,
      labels: {
        ...labels,
        ...extraLabels,
        [TRIVY_LABELS.specHash]: computeHash(
          JSON.stringify(rs.spec?.template?.spec ?? {}),
        ),
        [TRIVY_LABELS.managedBy]: 'trivy-operator',
      },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid!,
          controller: true,
          // As trivy-operator sets it, so no finalizer permission is needed.
          blockOwnerDeletion: false,
        },
      ],
    };
  }

  private writeVulnerabilityReport(
    rs: KubeObject,
    container: string,
    image: string,
    scan: ImageScan,
  ) {
    const name = vulnerabilityReportName(
      'ReplicaSet',
      rs.metadata.name,
      container,
    );
    const { server, repository, tag } = parseImage(image);
    const target = `${repository}:${tag} (${scan.os.family} ${scan.os.name})`;
    const vulnerabilities = scan.vulnerabilities.map(v => ({
      vulnerabilityID: v.vulnerabilityID,
      resource: v.resource,
      installedVersion: v.installedVersion,
      fixedVersion: v.fixedVersion,
      severity: v.severity,
      title: v.title,
      primaryLink:
        v.primaryLink ??
        `https://avd.aquasec.com/nvd/${v.vulnerabilityID.toLowerCase()}`,
      links: [],
      ...(v.score !== undefined ? { score: v.score } : {}),
      target: v.class === 'lang-pkgs' ? '' : target,
      class: v.class ?? 'os-pkgs',
      publishedDate: v.publishedDate ?? '',
      lastModifiedDate: v.lastModifiedDate ?? '',
    }));
    const count = (s: Severity) =>
      scan.totals?.[s] ?? vulnerabilities.filter(v => v.severity === s).length;
    const [critical, high, medium, low, unknown] = SEVERITIES.map(count);
    const findings = {
      registry: { server },
      artifact: { repository, tag },
      os: scan.os,
      scanner: TRIVY_SCANNER,
      summary: {
        criticalCount: critical,
        highCount: high,
        mediumCount: medium,
        lowCount: low,
        unknownCount: unknown,
        noneCount: 0,
      },
      vulnerabilities,
    };
    this.upsert(VULNERABILITY_REPORTS, VULNS_KEY, {
      apiVersion: 'aquasecurity.github.io/v1alpha1',
      kind: 'VulnerabilityReport',
      metadata: this.reportMetadata(rs, name, {
        [TRIVY_LABELS.container]: container,
      }),
      report: findings,
    });
    return `${VULNS_KEY}/${name}`;
  }

  private writeConfigAuditReport(rs: KubeObject) {
    const name = configAuditReportName('ReplicaSet', rs.metadata.name);
    this.upsert(CONFIG_AUDIT_REPORTS, AUDITS_KEY, {
      apiVersion: 'aquasecurity.github.io/v1alpha1',
      kind: 'ConfigAuditReport',
      metadata: this.reportMetadata(rs, name, {}),
      report: { scanner: TRIVY_SCANNER, ...auditPodTemplate(rs) },
    });
    return `${AUDITS_KEY}/${name}`;
  }

  /** Creates or replaces a report; an unchanged one keeps its updateTimestamp. */
  private upsert(
    type: typeof VULNERABILITY_REPORTS,
    key: string,
    report: KubeObject,
  ) {
    const ns = report.metadata.namespace!;
    const existing = this.ctx.store.get(key, ns, report.metadata.name);
    const { updateTimestamp: _t, ...oldReport } = existing?.report ?? {};
    if (
      existing &&
      deepEqual(oldReport, report.report) &&
      deepEqual(existing.metadata.labels, report.metadata.labels)
    )
      return;
    report.report = { updateTimestamp: timestamp(), ...report.report };
    if (existing) {
      this.ctx.ops.update(type, ns, report.metadata.name, {
        ...report,
        metadata: { ...existing.metadata, ...report.metadata },
      });
    } else {
      this.ctx.ops.create(type, ns, report);
    }
  }

  /** Deletes this ReplicaSet's reports other than `keep` (`<resource key>/<name>`). */
  private deleteReportsExcept(rs: KubeObject, keep: Set<string>) {
    const ns = rs.metadata.namespace!;
    for (const [type, key] of [
      [VULNERABILITY_REPORTS, VULNS_KEY],
      [CONFIG_AUDIT_REPORTS, AUDITS_KEY],
    ] as const) {
      const owned = this.ctx.store.select(key, ns, r =>
        (r.metadata.ownerReferences ?? []).some(o => o.uid === rs.metadata.uid),
      );
      for (const report of owned) {
        if (!keep.has(`${key}/${report.metadata.name}`))
          this.ctx.ops.delete(type, ns, report.metadata.name);
      }
    }
  }
}

function containers(rs: KubeObject): Array<{ name: string; image: string }> {
  return rs.spec?.template?.spec?.containers ?? [];
}
