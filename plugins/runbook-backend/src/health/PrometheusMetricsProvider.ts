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

type Sample = [number, string];
type PromResponse = {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ value?: Sample; values?: Sample[] }>;
  };
};

const toNumber = (s: Sample) => Number(s[1]);

/**
 * The built-in metrics provider: runs the PromQL templates of `runbook.metrics.prometheus`
 * against Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), each with a
 * timeout, and keeps answers for a short while. A metric without data is left out.
 */
export class PrometheusMetricsProvider implements RunbookMetricsProvider {
  readonly id = 'prometheus';
  readonly #cache = new Map<
    string,
    { at: number; value: Promise<ServiceMetrics> }
  >();

  constructor(
    private readonly o: {
      baseUrl: string;
      queries: Record<HealthMetric, string>;
      window: string;
      timeoutMs: number;
      cacheMs: number;
      stepSeconds: number;
      logger: LoggerService;
    },
  ) {}

  /** The provider configured under `runbook.metrics.prometheus`, or undefined without a `baseUrl`. */
  static fromConfig(root: Config, logger: LoggerService) {
    const c = root.getOptionalConfig('runbook.metrics.prometheus');
    const baseUrl = c?.getOptionalString('baseUrl');
    if (!c || !baseUrl) return undefined;
    const overrides = c.getOptionalConfig('queries');
    const queries = Object.fromEntries(
      HEALTH_METRICS.map(m => [
        m,
        overrides?.getOptionalString(m) ?? DEFAULT_QUERIES[m],
      ]),
    ) as Record<HealthMetric, string>;
    return new PrometheusMetricsProvider({
      baseUrl: baseUrl.replace(/\/+$/, ''),
      queries,
      window: c.getOptionalString('rateWindow') ?? '5m',
      timeoutMs: c.getOptionalNumber('queryTimeoutMs') ?? 2000,
      cacheMs: (c.getOptionalNumber('cacheSeconds') ?? 10) * 1000,
      stepSeconds: c.getOptionalNumber('seriesStepSeconds') ?? 60,
      logger,
    });
  }

  getMetrics(
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
    if (options.fresh) return this.#fetch(target, options.series, only, window);
    const key = `${target.namespace}/${target.service}/${target.pods ?? ''}/${
      options.series
    }/${only.join(',')}/${window}`;
    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < this.o.cacheMs) return hit.value;
    const value = this.#fetch(target, options.series, only, window);
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
    const ask = async (path: string, params: Record<string, string>) => {
      try {
        return await this.#query(path, params);
      } catch (error) {
        errors.push((error as Error).message);
        return undefined;
      }
    };
    const current = await Promise.all(
      only.map(async m => {
        const data = await ask('query', {
          query: promql(m),
          time: String(now),
        });
        const sample = data?.result[0]?.value;
        const value = sample && toNumber(sample);
        return [m, value] as const;
      }),
    );
    const ranges = series
      ? await Promise.all(
          // Every metric the view shows is drawn; absent ones (no business metrics) drop out.
          only.map(async m => {
            const data = await ask('query_range', {
              query: promql(m),
              start: String(now - 3600),
              end: String(now),
              step: String(this.o.stepSeconds),
            });
            const values = data?.result[0]?.values
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

  async #query(path: string, params: Record<string, string>) {
    const response = await fetch(`${this.o.baseUrl}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as
      | PromResponse
      | undefined;
    if (!response.ok || body?.status !== 'success') {
      throw new Error(body?.error ?? `HTTP ${response.status}`);
    }
    return body.data;
  }
}
