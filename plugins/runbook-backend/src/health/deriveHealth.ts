import {
  HealthReason,
  HealthReasonCode,
  HealthStatus,
  RESPONSE_CHECKLISTS,
  ServiceMetrics,
  WorkloadState,
  worstHealthStatus,
} from '@nexus-cos/plugin-runbook-common';

/** `runbook.health.thresholds` with defaults applied (see config.d.ts). */
export type HealthThresholds = {
  errorRatio: number;
  latencyP99Seconds: number;
  /** Share of the pods' limits (0-1) above which CPU or memory is pressure. */
  resourceUtilization: number;
  restartCount: number;
  podStartSeconds: number;
};

/** Waiting reasons that mean a container will not start without a change. */
const NOT_STARTING = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

/**
 * What the security feature found that health reports: certificates below the warning
 * threshold or expired, and images with more CRITICAL findings than the threshold.
 */
export type SecuritySignals = {
  certificates: Array<{
    name: string;
    daysLeft?: number;
    status: 'ok' | 'warning' | 'expired' | 'missing';
  }>;
  vulnerabilities: Array<{ image: string; critical: number }>;
  criticalThreshold: number;
  warningDays: number;
};

/** Why a cluster cannot be read: none configured, or the user's token missing or refused. */
export type Unreadable = {
  code: Extract<HealthReasonCode, 'no-cluster' | 'cluster-auth-required'>;
  message: string;
};

/**
 * The health of one service from its Kubernetes state and metrics: the worst status of
 * its reasons, each with the runbook's checklist and a suggested severity. Pure.
 */
export function deriveHealth(
  workload: WorkloadState | undefined,
  metrics: ServiceMetrics,
  thresholds: HealthThresholds,
  now: number,
  /** Why the services' cluster cannot be read at all, if it cannot. */
  unreadable?: Unreadable,
  security?: SecuritySignals,
): { status: HealthStatus; reasons: HealthReason[] } {
  if (unreadable) {
    return {
      status: 'unknown',
      reasons: [{ ...unreadable, status: 'unknown' }],
    };
  }
  if (!workload) {
    return {
      status: 'unknown',
      reasons: [
        {
          code: 'cache-not-synced',
          status: 'unknown',
          message: 'The cluster has not been read yet',
        },
      ],
    };
  }
  const target = { namespace: workload.namespace, service: workload.service };
  const reasons: HealthReason[] = [];
  const add = (reason: HealthReason) => reasons.push(reason);
  const desired = workload.deployments.reduce((n, d) => n + d.replicas, 0);
  const available = workload.deployments.reduce(
    (n, d) => n + d.availableReplicas,
    0,
  );

  if (!workload.deployments.length) {
    add({
      code: 'not-deployed',
      status: 'unknown',
      message: `No Deployment labelled backstage.io/kubernetes-id=${workload.service} in ${workload.namespace}`,
    });
  } else if (desired === 0) {
    add({
      code: 'stopped',
      status: 'down',
      message: 'Scaled to 0 replicas',
      checklist: RESPONSE_CHECKLISTS.serviceDown(target),
      suggestedSeverity: 'P3',
    });
  } else if (available < desired) {
    add({
      code: 'replicas-unavailable',
      status: available === 0 ? 'down' : 'degraded',
      message: `${available} of ${desired} replicas available`,
      checklist: RESPONSE_CHECKLISTS.serviceDown(target),
      suggestedSeverity: available === 0 ? 'P0' : 'P2',
    });
  }
  const stuck = workload.deployments.filter(
    d => d.progressing === 'ProgressDeadlineExceeded',
  );
  if (stuck.length) {
    add({
      code: 'rollout-stuck',
      status: 'degraded',
      message: `Rollout of ${stuck
        .map(d => d.name)
        .join(', ')} exceeded its progress deadline`,
      checklist: RESPONSE_CHECKLISTS.podsNotStarting(target),
      suggestedSeverity: 'P2',
    });
  }
  const crashing = workload.pods.filter(
    p =>
      p.waitingReason === 'CrashLoopBackOff' ||
      p.restarts >= thresholds.restartCount,
  );
  if (crashing.length) {
    add({
      code: 'pods-crash-looping',
      status: 'degraded',
      message: `${crashing.length} pod(s) crash-looping: ${crashing
        .map(p => p.name)
        .join(', ')}`,
      checklist: RESPONSE_CHECKLISTS.serviceDown(target),
      suggestedSeverity: 'P1',
    });
  }
  const notStarting = workload.pods.filter(
    p =>
      !p.ready &&
      ((p.waitingReason && NOT_STARTING.has(p.waitingReason)) ||
        (p.phase === 'Pending' &&
          p.createdAt !== undefined &&
          now - Date.parse(p.createdAt) > thresholds.podStartSeconds * 1000)),
  );
  if (notStarting.length) {
    add({
      code: 'pods-not-starting',
      status: 'degraded',
      message: `${notStarting.length} pod(s) not starting: ${notStarting
        .map(p => `${p.name}${p.waitingReason ? ` (${p.waitingReason})` : ''}`)
        .join(', ')}`,
      checklist: RESPONSE_CHECKLISTS.podsNotStarting(target),
      suggestedSeverity: 'P2',
    });
  }

  const m = metrics.current;
  if (m.errorRatio !== undefined && m.errorRatio > thresholds.errorRatio) {
    add({
      code: 'high-error-rate',
      status: 'degraded',
      message: `Error rate ${(m.errorRatio * 100).toFixed(1)}% is above ${(
        thresholds.errorRatio * 100
      ).toFixed(1)}%`,
      checklist: RESPONSE_CHECKLISTS.highErrorRate(target),
      suggestedSeverity: 'P1',
    });
  }
  if (
    m.latencyP99Seconds !== undefined &&
    m.latencyP99Seconds > thresholds.latencyP99Seconds
  ) {
    add({
      code: 'high-latency',
      status: 'degraded',
      message: `p99 latency ${m.latencyP99Seconds.toFixed(3)} s is above ${
        thresholds.latencyP99Seconds
      } s`,
      checklist: RESPONSE_CHECKLISTS.highLatency(target),
      suggestedSeverity: 'P2',
    });
  }
  const ready = workload.pods.filter(p => p.ready).length;
  const limits = workload.deployments.find(d => d.limits)?.limits;
  const pressure = (
    [
      ['memory', m.memoryBytes, limits?.memoryBytes],
      ['CPU', m.cpuCores, limits?.cpuCores],
    ] as const
  ).filter(
    ([, used, limit]) =>
      used !== undefined &&
      limit !== undefined &&
      ready > 0 &&
      used / (limit * ready) > thresholds.resourceUtilization,
  );
  if (pressure.length) {
    add({
      code: 'resource-pressure',
      status: 'degraded',
      message: `${pressure
        .map(
          ([what, used, limit]) =>
            `${what} at ${Math.round(
              (used! / (limit! * ready)) * 100,
            )}% of limits`,
        )
        .join(', ')}`,
      checklist: RESPONSE_CHECKLISTS.highMemoryUsage(target),
      suggestedSeverity: 'P2',
    });
  }

  reasons.push(...securityReasons(target, security));
  return { status: worstHealthStatus(reasons.map(r => r.status)), reasons };
}

/** Expiring or expired certificates, and images above the CRITICAL threshold. */
function securityReasons(
  target: { namespace: string; service: string },
  security: SecuritySignals | undefined,
): HealthReason[] {
  if (!security) return [];
  const reasons: HealthReason[] = [];
  const expired = security.certificates.filter(c => c.status === 'expired');
  const expiring = security.certificates.filter(c => c.status === 'warning');
  if (expired.length) {
    reasons.push({
      code: 'certificate-expired',
      status: 'degraded',
      message: `Certificate ${expired
        .map(c => c.name)
        .join(', ')} has expired: TLS clients refuse it`,
      checklist: RESPONSE_CHECKLISTS.certificateExpiring(target),
      suggestedSeverity: 'P1',
    });
  }
  if (expiring.length) {
    reasons.push({
      code: 'certificate-expiring',
      status: 'degraded',
      message: `Certificate ${expiring
        .map(c => `${c.name} expires in ${c.daysLeft} day(s)`)
        .join(', ')} (warning below ${security.warningDays} days)`,
      checklist: RESPONSE_CHECKLISTS.certificateExpiring(target),
      suggestedSeverity: 'P3',
    });
  }
  if (security.vulnerabilities.length) {
    reasons.push({
      code: 'critical-vulnerabilities',
      status: 'degraded',
      message: `${security.vulnerabilities
        .map(v => `${v.image} has ${v.critical} CRITICAL`)
        .join(', ')} (more than ${security.criticalThreshold})`,
      checklist: RESPONSE_CHECKLISTS.criticalVulnerabilities(target),
      suggestedSeverity: 'P2',
    });
  }
  return reasons;
}
