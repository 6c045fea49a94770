import type { IncidentSeverity } from '../incidents/schemas';

/** Derived health of a service. @public */
export type HealthStatus = 'healthy' | 'degraded' | 'down' | 'unknown';

/** Health statuses from worst to best: how reasons and services are ranked. @public */
export const HEALTH_STATUSES_WORST_FIRST: readonly HealthStatus[] = [
  'down',
  'degraded',
  'unknown',
  'healthy',
];

/** The worst of some statuses; `healthy` when there are none. @public */
export function worstHealthStatus(statuses: HealthStatus[]): HealthStatus {
  return (
    HEALTH_STATUSES_WORST_FIRST.find(s => statuses.includes(s)) ?? 'healthy'
  );
}

/** Machine-readable causes of a status other than healthy. @public */
export type HealthReasonCode =
  | 'not-deployed'
  | 'stopped'
  | 'rollout-stuck'
  | 'replicas-unavailable'
  | 'pods-crash-looping'
  | 'pods-not-starting'
  | 'high-error-rate'
  | 'high-latency'
  | 'resource-pressure'
  | 'cache-not-synced'
  | 'no-cluster'
  | 'cluster-auth-required'
  | 'certificate-expiring'
  | 'certificate-expired'
  | 'critical-vulnerabilities';

/** One step of a runbook response checklist; `command` is ready to paste. @public */
export type ChecklistStep = { title: string; command?: string };

/** The runbook's responses to an alert, as structured steps. @public */
export type ResponseChecklist = {
  /** The runbook section, e.g. "High Error Rate". */
  title: string;
  steps: ChecklistStep[];
};

/** Why a service is not healthy, with what to do about it. @public */
export type HealthReason = {
  code: HealthReasonCode;
  status: Exclude<HealthStatus, 'healthy'>;
  message: string;
  checklist?: ResponseChecklist;
  /** The severity to declare an incident with, from the runbook's table. */
  suggestedSeverity?: IncidentSeverity;
};

/** Names of the metrics the health view shows. @public */
export const HEALTH_METRICS = [
  'cpuCores',
  'memoryBytes',
  'diskReadBytesPerSecond',
  'diskWriteBytesPerSecond',
  'networkReceiveBytesPerSecond',
  'networkTransmitBytesPerSecond',
  'requestsPerSecond',
  'errorRatio',
  'latencyP50Seconds',
  'latencyP95Seconds',
  'latencyP99Seconds',
  'activeConnections',
  'transactionsPerSecond',
  'userSessions',
  'revenuePerSecond',
  'uploadsPerSecond',
  'downloadsPerSecond',
] as const;
/** @public */
export type HealthMetric = (typeof HEALTH_METRICS)[number];

/** Metric values of one service; a metric the source does not have is absent. @public */
export type ServiceMetrics = {
  /** `prometheus`, a provider id, or `none`. */
  source: string;
  /** Why there are no metrics, e.g. "Prometheus not configured". */
  unavailable?: string;
  current: Partial<Record<HealthMetric, number>>;
  /** [epoch seconds, value] pairs over the last hour. */
  series: Partial<Record<HealthMetric, Array<[number, number]>>>;
};

/** Kubernetes state of a service as the watch cache holds it. @public */
export type WorkloadState = {
  cluster: string;
  namespace: string;
  service: string;
  deployments: Array<{
    name: string;
    replicas: number;
    readyReplicas: number;
    availableReplicas: number;
    updatedReplicas: number;
    /** `Progressing` condition's reason, e.g. `ProgressDeadlineExceeded`. */
    progressing?: string;
    /** Summed container limits of one pod. */
    limits?: { cpuCores?: number; memoryBytes?: number };
  }>;
  pods: Array<{
    name: string;
    phase: string;
    ready: boolean;
    restarts: number;
    /** Why a container is waiting, e.g. `ImagePullBackOff` or `CrashLoopBackOff`. */
    waitingReason?: string;
    createdAt?: string;
  }>;
  hpa?: {
    name: string;
    minReplicas?: number;
    maxReplicas: number;
    currentReplicas?: number;
    desiredReplicas?: number;
  };
};

/**
 * A cluster whose credentials only the user holds (oidc, google, aks, ...): health reads
 * it per request with the user's token for `authProvider`, in the Kubernetes plugin's
 * form (`oidc.okta`, `google`), as `kubernetesAuthProvidersApi.getCredentials` takes it.
 * @public
 */
export type ClusterAuth = { cluster: string; authProvider: string };

/** The user's token for a {@link ClusterAuth}, sent along with a health read. @public */
export type ClusterToken = { authProvider: string; token: string };

/**
 * The header that carries a {@link ClusterToken}: the one the Kubernetes plugin's proxy
 * reads, e.g. `Backstage-Kubernetes-Authorization-oidc-okta`.
 * @public
 */
export function clusterTokenHeader(authProvider: string): string {
  return `Backstage-Kubernetes-Authorization-${authProvider.replace(
    /\./g,
    '-',
  )}`;
}

/** `GET /entities/E/health`. @public */
export type ServiceHealth = {
  entityRef: string;
  status: HealthStatus;
  reasons: HealthReason[];
  workload?: WorkloadState;
  metrics: ServiceMetrics;
  /** When the cache last heard from the cluster. */
  observedAt?: string;
  /** Set when the cluster is read with the user's token: send one to see the workload. */
  clusterAuth?: ClusterAuth;
};

/** `GET /health`: every service, without series. @public */
export type HealthOverview = {
  items: Array<
    Pick<ServiceHealth, 'entityRef' | 'status' | 'reasons' | 'observedAt'>
  >;
  clusterAuth?: ClusterAuth;
};

/** One Kubernetes Event of a service, newest first in `GET /entities/E/events`. @public */
export type ServiceEvent = {
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
  lastSeen: string;
};

/** `GET /entities/E/logs`. @public */
export type ServiceLogTail = {
  pod: string;
  container?: string;
  lines: string[];
  /** Whether only `ERROR` lines were kept. */
  errorsOnly: boolean;
};
