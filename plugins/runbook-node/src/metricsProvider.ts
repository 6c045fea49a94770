import type {
  HealthMetric,
  ServiceMetrics,
} from '@nexus-cos/plugin-runbook-common';

/** The service whose metrics are asked for. @public */
export type MetricsTarget = {
  entityRef: string;
  cluster: string;
  namespace: string;
  /** `backstage.io/kubernetes-id`, the `service` label of the contract's metrics. */
  service: string;
  /** A regular expression of pod names: only these pods' series (e.g. a new ReplicaSet's). */
  pods?: string;
};

/**
 * Supplies a service's metrics to the health view (the built-in one queries Prometheus).
 * It should answer `unavailable` rather than throw when its source cannot be reached.
 * @public
 */
export interface RunbookMetricsProvider {
  readonly id: string;
  /**
   * Current values; with `series`, also the last hour's series. `only` limits the metrics
   * to those named (the overview asks only for what the status needs).
   */
  getMetrics(
    target: MetricsTarget,
    options: {
      series: boolean;
      only?: HealthMetric[];
      /** Ask the source, not a cache: an analysis samples as it goes. */
      fresh?: boolean;
      /** The rate window instead of the configured one, e.g. "30s". */
      window?: string;
    },
  ): Promise<ServiceMetrics>;
}
