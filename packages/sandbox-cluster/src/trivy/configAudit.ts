import { KubeObject } from '../store/types';
import { Severity } from './imageScans';

interface Check {
  checkID: string;
  title: string;
  severity: Exclude<Severity, 'UNKNOWN'>;
  description: string;
  /** Whether a container (in its pod spec) fails the check. */
  fails(container: any, pod: any): boolean;
  message: string;
}

const sc = (container: any, pod: any, field: string) =>
  container.securityContext?.[field] ?? pod.securityContext?.[field];

/**
 * A subset of Trivy's built-in Kubernetes checks (trivy-checks' KSV ids, titles and
 * severities), evaluated on a workload's pod template. `{c}`, `{kind}` and `{name}` in
 * a message are the container, the workload kind and its name.
 */
const CHECKS: Check[] = [
  {
    checkID: 'KSV001',
    title: 'Can elevate its own privileges',
    severity: 'MEDIUM',
    description:
      'A program inside the container can elevate its own privileges and run as root, which might give the program control over the container and node.',
    fails: c => c.securityContext?.allowPrivilegeEscalation !== false,
    message:
      "Container '{c}' of {kind} '{name}' should set 'securityContext.allowPrivilegeEscalation' to false",
  },
  {
    checkID: 'KSV003',
    title: 'Default capabilities not dropped',
    severity: 'LOW',
    description:
      'The container should drop all default capabilities and add only those that are needed for its execution.',
    fails: c => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'),
    message:
      "Container '{c}' of {kind} '{name}' should add 'ALL' to 'securityContext.capabilities.drop'",
  },
  {
    checkID: 'KSV011',
    title: 'CPU not limited',
    severity: 'LOW',
    description: 'Enforcing CPU limits prevents DoS via resource exhaustion.',
    fails: c => !c.resources?.limits?.cpu,
    message:
      "Container '{c}' of {kind} '{name}' should set 'resources.limits.cpu'",
  },
  {
    checkID: 'KSV012',
    title: 'Runs as root user',
    severity: 'MEDIUM',
    description:
      "'runAsNonRoot' forces the running image to run as a non-root user to ensure least privileges.",
    fails: (c, p) => sc(c, p, 'runAsNonRoot') !== true,
    message:
      "Container '{c}' of {kind} '{name}' should set 'securityContext.runAsNonRoot' to true",
  },
  {
    checkID: 'KSV014',
    title: 'Root file system is not read-only',
    severity: 'HIGH',
    description:
      'An immutable root file system prevents applications from writing to their local disk. This can limit intrusions, as attackers will not be able to tamper with the file system or write foreign executables to disk.',
    fails: c => c.securityContext?.readOnlyRootFilesystem !== true,
    message:
      "Container '{c}' of {kind} '{name}' should set 'securityContext.readOnlyRootFilesystem' to true",
  },
  {
    checkID: 'KSV015',
    title: 'CPU requests not specified',
    severity: 'LOW',
    description:
      'When containers have resource requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.',
    fails: c => !c.resources?.requests?.cpu,
    message:
      "Container '{c}' of {kind} '{name}' should set 'resources.requests.cpu'",
  },
  {
    checkID: 'KSV016',
    title: 'Memory requests not specified',
    severity: 'LOW',
    description:
      'When containers have memory requests specified, the scheduler can make better decisions about which nodes to place pods on, and how to deal with resource contention.',
    fails: c => !c.resources?.requests?.memory,
    message:
      "Container '{c}' of {kind} '{name}' should set 'resources.requests.memory'",
  },
  {
    checkID: 'KSV018',
    title: 'Memory not limited',
    severity: 'LOW',
    description:
      'Enforcing memory limits prevents DoS via resource exhaustion.',
    fails: c => !c.resources?.limits?.memory,
    message:
      "Container '{c}' of {kind} '{name}' should set 'resources.limits.memory'",
  },
  {
    checkID: 'KSV020',
    title: 'Runs with UID <= 10000',
    severity: 'LOW',
    description:
      "Force the container to run with user ID > 10000 to avoid conflicts with the host's user table.",
    fails: (c, p) => !(sc(c, p, 'runAsUser') > 10000),
    message:
      "Container '{c}' of {kind} '{name}' should set 'securityContext.runAsUser' > 10000",
  },
  {
    checkID: 'KSV021',
    title: 'Runs with GID <= 10000',
    severity: 'LOW',
    description:
      "Force the container to run with group ID > 10000 to avoid conflicts with the host's user table.",
    fails: (c, p) => !(sc(c, p, 'runAsGroup') > 10000),
    message:
      "Container '{c}' of {kind} '{name}' should set 'securityContext.runAsGroup' > 10000",
  },
  {
    checkID: 'KSV104',
    title: 'Seccomp policies disabled',
    severity: 'MEDIUM',
    description:
      'A program inside the container can bypass Seccomp protection policies.',
    fails: (c, p) =>
      !['RuntimeDefault', 'Localhost'].includes(
        sc(c, p, 'seccompProfile')?.type,
      ),
    message:
      'container "{c}" of {kind} "{name}" should specify a seccomp profile',
  },
];

/**
 * The checks and summary of a ConfigAuditReport for a workload's pod template. Only
 * failed checks are listed, as with trivy-operator's default `recordFailedChecksOnly`.
 */
export function auditPodTemplate(workload: KubeObject) {
  const pod = workload.spec?.template?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const fill = (message: string, container: string) =>
    message
      .replace('{c}', container)
      .replace('{kind}', workload.kind)
      .replace('{name}', workload.metadata.name);
  const checks = CHECKS.map(check => {
    const failing = containers.filter(c => check.fails(c, pod));
    return {
      checkID: check.checkID,
      title: check.title,
      description: check.description,
      severity: check.severity,
      category: 'Kubernetes Security Check',
      success: failing.length === 0,
      messages: failing.map(c => fill(check.message, c.name)),
    };
  });
  const count = (severity: string) =>
    checks.filter(c => !c.success && c.severity === severity).length;
  return {
    checks: checks.filter(c => !c.success),
    summary: {
      criticalCount: count('CRITICAL'),
      highCount: count('HIGH'),
      mediumCount: count('MEDIUM'),
      lowCount: count('LOW'),
    },
  };
}
