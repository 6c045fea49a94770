import { ServiceProfile } from './serviceProfile';

/** What injected faults add to a service's pods. */
export interface FaultEffect {
  /** Extra share of requests answered 500. */
  errorRate: number;
  /** Extra latency, in seconds. */
  latency: number;
}

/** The resources of a pod's containers, summed. */
export interface PodResources {
  cpuRequestMillicores: number;
  cpuLimitMillicores: number;
  memoryRequestBytes: number;
  memoryLimitBytes: number;
}

/** Instantaneous behaviour of one pod serving `rps` requests per second. */
export interface PodSignals {
  rps: number;
  /** Shares of `rps` answered 500 (errors) and 503 (shed for lack of capacity). */
  errorShare: number;
  shedShare: number;
  /** Median latency in seconds, `addedLatency` included. */
  medianLatency: number;
  /**
   * The part of the latency every request pays on top of the queue's log-normal one
   * (injected latency, slow images): it shifts the distribution rather than widening it.
   */
  addedLatency: number;
  cpuMillicores: number;
  /** Working set before any leak. */
  memoryBytes: number;
  activeConnections: number;
}

/** Spread of the log-normal queueing latency: its p95 is about 2.7 × its median. */
export const LATENCY_SIGMA = 0.6;

/** Requests per second a pod answers at its CPU limit; past it, it sheds load. */
export function capacityRps(profile: ServiceProfile, resources: PodResources) {
  return resources.cpuLimitMillicores / profile.cpuPerRequest;
}

/**
 * One pod's behaviour under load. Capacity comes from the CPU limit (requests cost CPU),
 * so fewer replicas or a lower limit means higher utilisation: latency grows as in an
 * M/M/1 queue, and past capacity the excess is shed with 503s.
 */
export function podSignals(
  profile: ServiceProfile,
  resources: PodResources,
  rps: number,
  fault: FaultEffect,
): PodSignals {
  const utilisation = rps / capacityRps(profile, resources);
  const shedShare = utilisation > 1 ? 1 - 1 / utilisation : 0;
  const errorShare = Math.min(
    1 - shedShare,
    (profile.baseErrorRate + fault.errorRate) * (1 - shedShare),
  );
  const medianLatency =
    profile.baseLatency / (1 - Math.min(utilisation, 0.95)) + fault.latency;
  const idleMillicores = 0.04 * resources.cpuRequestMillicores;
  const cpuMillicores = Math.min(
    resources.cpuLimitMillicores,
    idleMillicores + rps * profile.cpuPerRequest,
  );
  const memoryBytes = Math.min(
    resources.memoryLimitBytes,
    resources.memoryRequestBytes * (0.45 + 0.25 * Math.min(utilisation, 1)),
  );
  // Little's law for requests in flight, plus idle keep-alive connections.
  const activeConnections = rps * medianLatency * 1.2 + rps * 0.5;
  return {
    rps,
    errorShare,
    shedShare,
    medianLatency,
    addedLatency: fault.latency,
    cpuMillicores,
    memoryBytes,
    activeConnections,
  };
}
