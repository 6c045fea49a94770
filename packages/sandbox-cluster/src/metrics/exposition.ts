import { Metric, Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../traffic/latencyBuckets';
import { PodTraffic } from '../traffic/TrafficModel';

type Labels = Record<string, string | number>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** The contract's labels, plus `version` (blue, green) for pods that carry that label. */
const podLabels = (p: PodTraffic): Labels => ({
  service: p.service,
  namespace: p.namespace,
  pod: p.name,
  ...(p.version ? { version: p.version } : {}),
});

/** Counts are whole requests: floored, so they stay monotonic. */
const whole = Math.floor;

const SERIES: Array<{
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples(p: PodTraffic, labels: Labels): Sample[];
}> = [
  {
    name: 'http_requests_total',
    help: 'HTTP requests served, by status code.',
    type: 'counter',
    samples: (p, labels) =>
      Object.entries(p.counters.requests).map(([code, n]) => ({
        labels: { ...labels, code },
        value: whole(n),
      })),
  },
  {
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency.',
    type: 'histogram',
    samples: (p, labels) => {
      const c = p.counters;
      const total = whole(
        c.requests['200'] + c.requests['500'] + c.requests['503'],
      );
      return [
        ...LATENCY_BUCKETS.map((le, i) => ({
          metricName: 'http_request_duration_seconds_bucket',
          labels: { ...labels, le },
          value: Math.min(total, whole(c.buckets[i])),
        })),
        {
          metricName: 'http_request_duration_seconds_bucket',
          labels: { ...labels, le: '+Inf' },
          value: total,
        },
        {
          metricName: 'http_request_duration_seconds_sum',
          labels,
          value: c.durationSum,
        },
        {
          metricName: 'http_request_duration_seconds_count',
          labels,
          value: total,
        },
      ];
    },
  },
  gauge('http_active_connections', 'Open client connections.', p =>
    Math.round(p.signals.activeConnections),
  ),
  counter(
    'container_cpu_usage_seconds_total',
    'CPU time consumed.',
    p => p.counters.cpuSeconds,
  ),
  gauge(
    'container_memory_working_set_bytes',
    'Memory working set.',
    p => p.memoryBytes,
  ),
  counter(
    'container_fs_reads_bytes_total',
    'Bytes read from disk.',
    p => p.counters.fsReadBytes,
  ),
  counter(
    'container_fs_writes_bytes_total',
    'Bytes written to disk.',
    p => p.counters.fsWriteBytes,
  ),
  counter(
    'container_network_receive_bytes_total',
    'Bytes received.',
    p => p.counters.networkReceiveBytes,
  ),
  counter(
    'container_network_transmit_bytes_total',
    'Bytes transmitted.',
    p => p.counters.networkTransmitBytes,
  ),
  counter('nexus_transactions_total', 'Business transactions completed.', p =>
    whole(p.counters.transactions),
  ),
  gauge('nexus_user_sessions', 'Active user sessions.', p =>
    Math.round(p.userSessions),
  ),
  counter(
    'nexus_revenue_total',
    'Revenue booked, in currency units.',
    p => Math.round(p.counters.revenue * 100) / 100,
  ),
  counter('nexus_content_uploads_total', 'Content items uploaded.', p =>
    whole(p.counters.uploads),
  ),
  counter('nexus_content_downloads_total', 'Content items downloaded.', p =>
    whole(p.counters.downloads),
  ),
];

function counter(name: string, help: string, value: (p: PodTraffic) => number) {
  return {
    name,
    help,
    type: 'counter' as const,
    samples: (p: PodTraffic, labels: Labels) => [{ labels, value: value(p) }],
  };
}

function gauge(name: string, help: string, value: (p: PodTraffic) => number) {
  return {
    name,
    help,
    type: 'gauge' as const,
    samples: (p: PodTraffic, labels: Labels) => [{ labels, value: value(p) }],
  };
}

/** Renders the traffic model in the Prometheus text format. */
export interface MetricsEndpoint {
  contentType: string;
  render(): Promise<string>;
}

/**
 * A prom-client Registry whose collectors read the traffic model on each scrape; the
 * model's counters are the source of truth, so nothing is copied between scrapes.
 */
export function metricsEndpoint(
  pods: () => Iterable<PodTraffic>,
): MetricsEndpoint {
  const registry = new Registry();
  // One snapshot per scrape, which every series reads, so they agree with each other.
  let snapshot: PodTraffic[] = [];
  SERIES.forEach(series => {
    const collector = {
      name: series.name,
      help: series.help,
      type: series.type,
      aggregator: 'sum',
      get: async () => ({
        ...collector,
        values: snapshot.flatMap(p => series.samples(p, podLabels(p))),
      }),
    };
    // prom-client's types admit only its own metric classes; its Registry needs just
    // `name` and `get()`, which is how custom collectors plug in.
    registry.registerMetric(collector as unknown as Metric);
  });
  return {
    contentType: registry.contentType,
    async render() {
      snapshot = [...pods()];
      return registry.metrics();
    },
  };
}
