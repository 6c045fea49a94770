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
    options: { series: boolean; only?: HealthMetric[] },
  ): Promise<ServiceMetrics>;
}
