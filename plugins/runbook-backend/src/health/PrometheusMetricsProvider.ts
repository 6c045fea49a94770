import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  HEALTH_METRICS,
  HealthMetric,
  ServiceMetrics,
} from '@nexus-cos/plugin-runbook-common';
import type {
  MetricsTarget,
  RunbookMetricsProvider,
} from '@nexus-cos/plugin-runbook-node';
import { MetricsBatch } from './MetricsBatch';
import { PromQuery, prometheusQuery } from './prometheusApi';

const SEL = 'namespace="{{namespace}}",service="{{service}}"{{pods}}';
const rate = (metric: string, extra = '') =>
  `sum(rate(${metric}{${SEL}${extra}}[{{window}}]))`;
const quantile = (q: number) =>
  `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${SEL}}[{{window}}])))`;

/** PromQL for the metric names the sandbox exposes; config may replace each. */
export const DEFAULT_QUERIES: Record<HealthMetric, string> = {
  cpuCores: rate('container_cpu_usage_seconds_total'),
  memoryBytes: `sum(container_memory_working_set_bytes{${SEL}})`,
  diskReadBytesPerSecond: rate('container_fs_reads_bytes_total'),
  diskWriteBytesPerSecond: rate('container_fs_writes_bytes_total'),
  networkReceiveBytesPerSecond: rate('container_network_receive_bytes_total'),
  networkTransmitBytesPerSecond: rate('container_network_transmit_bytes_total'),
  requestsPerSecond: rate('http_requests_total'),
  errorRatio: `${rate('http_requests_total', ',code=~"5.."')} / ${rate(
    'http_requests_total',
  )}`,
  latencyP50Seconds: quantile(0.5),
  latencyP95Seconds: quantile(0.95),
  latencyP99Seconds: quantile(0.99),
  activeConnections: `sum(http_active_connections{${SEL}})`,
  transactionsPerSecond: rate('nexus_transactions_total'),
  userSessions: `sum(nexus_user_sessions{${SEL}})`,
  revenuePerSecond: rate('nexus_revenue_total'),
  uploadsPerSecond: rate('nexus_content_uploads_total'),
  downloadsPerSecond: rate('nexus_content_downloads_total'),
};

/** Keeps a label value inside a PromQL string literal. */
const escape = (value: string) => value.replace(/[\\"]/g, c => `\\${c}`);

const BY = 'namespace, service';
const batchRate = (metric: string, matchers = '') =>
  `sum by (${BY}) (rate(${metric}${matchers}[{{window}}]))`;
const batchQuantile = (q: number) =>
  `histogram_quantile(${q}, sum by (${BY}, le) (rate(http_request_duration_seconds_bucket[{{window}}])))`;

/**
 * The same metrics for every service at once: one series per service, labelled
 * `namespace` and `service`, with the placeholder {{window}} only.
 */
export const DEFAULT_BATCH_QUERIES: Record<HealthMetric, string> = {
  cpuCores: batchRate('container_cpu_usage_seconds_total'),
  memoryBytes: `sum by (${BY}) (container_memory_working_set_bytes)`,
  diskReadBytesPerSecond: batchRate('container_fs_reads_bytes_total'),
  diskWriteBytesPerSecond: batchRate('container_fs_writes_bytes_total'),
  networkReceiveBytesPerSecond: batchRate(
    'container_network_receive_bytes_total',
  ),
  networkTransmitBytesPerSecond: batchRate(
    'container_network_transmit_bytes_total',
  ),
  requestsPerSecond: batchRate('http_requests_total'),
  errorRatio: `${batchRate(
    'http_requests_total',
    '{code=~"5.."}',
  )} / ${batchRate('http_requests_total')}`,
  latencyP50Seconds: batchQuantile(0.5),
  latencyP95Seconds: batchQuantile(0.95),
  latencyP99Seconds: batchQuantile(0.99),
  activeConnections: `sum by (${BY}) (http_active_connections)`,
  transactionsPerSecond: batchRate('nexus_transactions_total'),
  userSessions: `sum by (${BY}) (nexus_user_sessions)`,
  revenuePerSecond: batchRate('nexus_revenue_total'),
  uploadsPerSecond: batchRate('nexus_content_uploads_total'),
  downloadsPerSecond: batchRate('nexus_content_downloads_total'),
};

type Sample = [number, string];

const toNumber = (s: Sample) => Number(s[1]);

/**
 * The built-in metrics provider, against Prometheus's HTTP API (`/api/v1/query`,
 * `/api/v1/query_range`), each query with a timeout. A metric without data is left out.
 *
 * Page views read a {@link MetricsBatch}: every service's metrics, fetched with one
 * PromQL per metric every `cacheSeconds`, so that no page view waits on Prometheus.
 * Reads that need their own query run the per-service templates: `fresh` ones (the
 * analysis of a rollout samples as it goes), those of some pods or another rate window,
 * and metrics whose template config replaced without giving a batch query (reused for
 * `cacheSeconds`).
 */
export class PrometheusMetricsProvider implements RunbookMetricsProvider {
  readonly id = 'prometheus';
  readonly #cache = new Map<
    string,
    { at: number; value: Promise<ServiceMetrics> }
  >();
  readonly #ask: PromQuery;
  readonly #batch: MetricsBatch;

  constructor(
    private readonly o: {
      baseUrl: string;
      queries: Record<HealthMetric, string>;
      /** Per metric, the query for every service; a metric without one is asked per service. */
      batchQueries: Partial<Record<HealthMetric, string>>;
      window: string;
      timeoutMs: number;
      cacheMs: number;
      stepSeconds: number;
      logger: LoggerService;
    },
  ) {
    this.#ask = prometheusQuery(o.baseUrl, o.timeoutMs);
    this.#batch = new MetricsBatch({
      queries: o.batchQueries,
      window: o.window,
      // 0 meant "never reuse an answer"; a batch still needs a pause between fetches.
      refreshMs: Math.max(o.cacheMs, 1000),
      stepSeconds: o.stepSeconds,
      staleMs: 3 * Math.max(o.cacheMs, 1000) + 2 * o.timeoutMs,
      ask: this.#ask,
      describe: o.baseUrl,
      logger: o.logger,
    });
  }

  /** The provider configured under `runbook.metrics.prometheus`, or undefined without a `baseUrl`. */
  static fromConfig(root: Config, logger: LoggerService) {
    const c = root.getOptionalConfig('runbook.metrics.prometheus');
    const baseUrl = c?.getOptionalString('baseUrl');
    if (!c || !baseUrl) return undefined;
    const overrides = c.getOptionalConfig('queries');
    const batchOverrides = c.getOptionalConfig('batchQueries');
    const queries = Object.fromEntries(
      HEALTH_METRICS.map(m => [
        m,
        overrides?.getOptionalString(m) ?? DEFAULT_QUERIES[m],
      ]),
    ) as Record<HealthMetric, string>;
    const batchQueries: Partial<Record<HealthMetric, string>> = {};
    for (const m of HEALTH_METRICS) {
      const batch = batchOverrides?.getOptionalString(m);
      if (batch) batchQueries[m] = batch;
      else if (overrides?.getOptionalString(m) === undefined) {
        batchQueries[m] = DEFAULT_BATCH_QUERIES[m];
      } else {
        // The default batch query would not measure what the replaced template does.
        logger.warn(
          `runbook.metrics.prometheus.queries.${m} is set without batchQueries.${m}: ${m} is asked per service on page views`,
        );
      }
    }
    return new PrometheusMetricsProvider({
      baseUrl: baseUrl.replace(/\/+$/, ''),
      queries,
      batchQueries,
      window: c.getOptionalString('rateWindow') ?? '5m',
      timeoutMs: c.getOptionalNumber('queryTimeoutMs') ?? 2000,
      cacheMs: (c.getOptionalNumber('cacheSeconds') ?? 10) * 1000,
      stepSeconds: c.getOptionalNumber('seriesStepSeconds') ?? 60,
      logger,
    });
  }

  /** Starts fetching every service's metrics in the background; page views read the result. */
  start(): void {
    this.#batch.start();
  }

  stop(): void {
    this.#batch.stop();
  }

  /** Fetches every service's metrics now, rather than at the next interval. */
  refresh(): Promise<void> {
    return this.#batch.refresh();
  }

  async getMetrics(
    target: MetricsTarget,
    options: {
      series: boolean;
      only?: HealthMetric[];
      fresh?: boolean;
      window?: string;
    },
  ): Promise<ServiceMetrics> {
    const only = options.only ?? [...HEALTH_METRICS];
    const window = options.window ?? this.o.window;
    if (options.fresh || target.pods || window !== this.o.window) {
      return this.#fetch(target, options.series, only, window);
    }
    const batched = only.filter(m => this.#batch.covers(m));
    const single = only.filter(m => !this.#batch.covers(m));
    const parts = await Promise.all([
      ...(batched.length
        ? [
            this.#batch.read(
              target.namespace,
              target.service,
              batched,
              options.series,
            ),
          ]
        : []),
      ...(single.length
        ? [this.#cached(target, options.series, single, window)]
        : []),
    ]);
    const unavailable = parts.every(p => p.unavailable)
      ? parts[0]?.unavailable
      : undefined;
    return {
      source: this.id,
      current: Object.assign({}, ...parts.map(p => p.current)),
      series: Object.assign({}, ...parts.map(p => p.series)),
      ...(unavailable ? { unavailable } : {}),
    };
  }

  #cached(
    target: MetricsTarget,
    series: boolean,
    only: HealthMetric[],
    window: string,
  ): Promise<ServiceMetrics> {
    const key = `${target.namespace}/${target.service}/${series}/${only.join(
      ',',
    )}/${window}`;
    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < this.o.cacheMs) return hit.value;
    const value = this.#fetch(target, series, only, window);
    this.#cache.set(key, { at: Date.now(), value });
    // Bounded by the number of services: entries are replaced, never accumulated.
    return value;
  }

  async #fetch(
    target: MetricsTarget,
    series: boolean,
    only: HealthMetric[],
    window: string,
  ): Promise<ServiceMetrics> {
    const promql = (metric: HealthMetric) =>
      this.o.queries[metric]
        .replaceAll('{{service}}', escape(target.service))
        .replaceAll('{{namespace}}', escape(target.namespace))
        .replaceAll(
          '{{pods}}',
          target.pods ? `,pod=~"${escape(target.pods)}"` : '',
        )
        .replaceAll('{{window}}', window);
    const now = Math.floor(Date.now() / 1000);
    const errors: string[] = [];
    const ask = async (
      path: 'query' | 'query_range',
      params: Record<string, string>,
    ) => {
      try {
        return await this.#ask(path, params);
      } catch (error) {
        errors.push((error as Error).message);
        return undefined;
      }
    };
    const current = await Promise.all(
      only.map(async m => {
        const result = await ask('query', {
          query: promql(m),
          time: String(now),
        });
        const sample = result?.[0]?.value;
        const value = sample && toNumber(sample);
        return [m, value] as const;
      }),
    );
    const ranges = series
      ? await Promise.all(
          // Every metric the view shows is drawn; absent ones (no business metrics) drop out.
          only.map(async m => {
            const result = await ask('query_range', {
              query: promql(m),
              start: String(now - 3600),
              end: String(now),
              step: String(this.o.stepSeconds),
            });
            const values = result?.[0]?.values
              ?.map(s => [s[0], toNumber(s)] as [number, number])
              .filter(([, v]) => Number.isFinite(v));
            return [m, values] as const;
          }),
        )
      : [];
    const result: ServiceMetrics = {
      source: this.id,
      current: Object.fromEntries(
        current.filter(([, v]) => v !== undefined && Number.isFinite(v)),
      ),
      series: Object.fromEntries(ranges.filter(([, v]) => v?.length)),
    };
    if (errors.length === only.length + ranges.length) {
      result.unavailable = `metrics: Prometheus at ${this.o.baseUrl} did not answer (${errors[0]})`;
      this.o.logger.warn(result.unavailable);
    }
    return result;
  }
}
