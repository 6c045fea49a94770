import type {
  V1Container,
  V1LabelSelector,
  V1PodSpec,
} from '@kubernetes/client-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ConfigFinding,
  FINDING_SEVERITIES,
} from '@nexus-cos/plugin-runbook-common';
import type { SecuritySnapshot, ServiceRef } from './SecurityInventory';
import { serviceDeployments } from './vulnerabilities';

/** Whether a label selector selects these labels (an empty selector selects all). */
export function selects(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  const matchLabels = Object.entries(selector?.matchLabels ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
  return (
    matchLabels &&
    (selector?.matchExpressions ?? []).every(e => {
      const value = labels[e.key];
      switch (e.operator) {
        case 'In':
          return value !== undefined && (e.values ?? []).includes(value);
        case 'NotIn':
          return value === undefined || !(e.values ?? []).includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          return false;
      }
    })
  );
}

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
}

function containerFindings(
  object: string,
  spec: V1PodSpec,
  c: V1Container,
): ConfigFinding[] {
  const at = `${object}/${c.name}`;
  const sc = c.securityContext ?? {};
  const pod = spec.securityContext ?? {};
  const out: ConfigFinding[] = [];
  if (sc.privileged) {
    out.push({
      check: 'privileged',
      severity: 'critical',
      object: at,
      message:
        'The container runs privileged: it has every capability of the node',
      fix: 'Remove securityContext.privileged, or set it to false',
    });
  }
  const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
  const user = sc.runAsUser ?? pod.runAsUser;
  if (!nonRoot && !(user !== undefined && user > 0)) {
    out.push({
      check: 'run-as-non-root',
      severity: 'medium',
      object: at,
      message:
        'The container may run as root: neither runAsNonRoot nor a non-zero runAsUser is set',
      fix: 'Set securityContext.runAsNonRoot: true (and a runAsUser above 0)',
    });
  }
  if (!sc.readOnlyRootFilesystem) {
    out.push({
      check: 'read-only-root-filesystem',
      severity: 'low',
      object: at,
      message: 'The root filesystem is writable',
      fix: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the app writes',
    });
  }
  const limits = c.resources?.limits ?? {};
  const missing = ['cpu', 'memory'].filter(r => limits[r] === undefined);
  if (missing.length) {
    out.push({
      check: 'missing-limits',
      severity: 'medium',
      object: at,
      message: `No ${missing.join(' or ')} limit`,
      fix: `Set resources.limits.${missing.join(' and resources.limits.')}`,
    });
  }
  const tag = c.image ? imageTag(c.image) : undefined;
  if (c.image && !c.image.includes('@') && (!tag || tag === 'latest')) {
    out.push({
      check: 'latest-tag',
      severity: 'medium',
      object: at,
      message: `The image ${c.image} floats (${
        tag ? ':latest' : 'no tag'
      }): what runs can change without a rollout`,
      fix: 'Pin a version tag or a digest',
    });
  }
  const probes = [
    ['readiness', c.readinessProbe],
    ['liveness', c.livenessProbe],
  ].filter(([, probe]) => !probe);
  if (probes.length) {
    out.push({
      check: 'missing-probes',
      severity: probes.length === 2 ? 'medium' : 'low',
      object: at,
      message: `No ${probes.map(([name]) => name).join(' or ')} probe`,
      fix: `Add ${probes.map(([name]) => `${name}Probe`).join(' and ')}`,
    });
  }
  return out;
}

/**
 * Configuration findings of a service, in the style of trivy-operator's
 * ConfigAuditReports and Polaris, from its live pods (one per Deployment; the pod
 * template where none runs): privileged containers, root users, writable root
 * filesystems, hostPath volumes, host networking, missing limits, floating tags,
 * missing probes, and pods no NetworkPolicy selects.
 */
export function configFindings(
  snapshot: SecuritySnapshot,
  ref: ServiceRef,
): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const policies = snapshot.networkPolicies.filter(
    p => p.metadata?.namespace === ref.namespace,
  );
  const podsOfService = snapshot.pods.filter(
    p =>
      p.metadata?.namespace === ref.namespace &&
      p.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === ref.service &&
      !p.metadata?.deletionTimestamp,
  );
  const rsOwner = new Map(
    snapshot.replicaSets
      .filter(rs => rs.metadata?.namespace === ref.namespace)
      .map(rs => [
        rs.metadata?.name,
        rs.metadata?.ownerReferences?.find(o => o.kind === 'Deployment')?.name,
      ]),
  );
  for (const d of serviceDeployments(snapshot, ref)) {
    const name = d.metadata?.name;
    const object = `Deployment/${name}`;
    const pod = podsOfService.find(p =>
      p.metadata?.ownerReferences?.some(
        o => o.kind === 'ReplicaSet' && rsOwner.get(o.name) === name,
      ),
    );
    const spec = pod?.spec ?? d.spec?.template?.spec;
    const labels =
      pod?.metadata?.labels ?? d.spec?.template?.metadata?.labels ?? {};
    if (!spec) continue;
    if (spec.hostNetwork) {
      findings.push({
        check: 'host-network',
        severity: 'high',
        object,
        message: "The pods use the node's network namespace",
        fix: 'Remove spec.hostNetwork',
      });
    }
    for (const v of spec.volumes ?? []) {
      if (v.hostPath) {
        findings.push({
          check: 'host-path',
          severity: 'high',
          object,
          message: `Volume ${v.name} mounts ${v.hostPath.path} from the node`,
          fix: 'Use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead of hostPath',
        });
      }
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      findings.push(...containerFindings(object, spec, c));
    }
    if (!policies.some(p => selects(p.spec?.podSelector, labels))) {
      findings.push({
        check: 'no-network-policy',
        severity: 'medium',
        object,
        message: `No NetworkPolicy in ${ref.namespace} selects these pods: any pod may reach them`,
        fix: 'Add a NetworkPolicy that selects the pods and allows only the traffic they need',
      });
    }
  }
  return findings.sort(
    (a, b) =>
      FINDING_SEVERITIES.indexOf(a.severity) -
        FINDING_SEVERITIES.indexOf(b.severity) ||
      a.object.localeCompare(b.object),
  );
}
