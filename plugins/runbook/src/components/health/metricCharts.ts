import type { HealthMetric } from '@nexus-cos/plugin-runbook-common';

/** One chart of the health view: the metrics it draws and how to print their values. */
export type ChartSpec = {
  title: string;
  metrics: Partial<Record<HealthMetric, string>>;
  format: (value: number) => string;
};

const fixed = (digits: number, unit: string) => (value: number) =>
  `${value.toFixed(digits)} ${unit}`;

/** Bytes in binary units, as `kubectl` and Grafana print them. */
export const formatBytes = (value: number) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = value;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
};

/** The runbook's golden signals, in the order the health tab draws them. */
export const GOLDEN_SIGNAL_CHARTS: ChartSpec[] = [
  {
    title: 'Request rate',
    metrics: { requestsPerSecond: 'requests' },
    format: fixed(1, 'req/s'),
  },
  {
    title: 'Error rate',
    metrics: { errorRatio: 'errors' },
    format: v => `${(v * 100).toFixed(2)} %`,
  },
  {
    title: 'Latency',
    metrics: {
      latencyP50Seconds: 'p50',
      latencyP95Seconds: 'p95',
      latencyP99Seconds: 'p99',
    },
    format: v => `${Math.round(v * 1000)} ms`,
  },
  { title: 'CPU', metrics: { cpuCores: 'cores' }, format: fixed(2, 'cores') },
  {
    title: 'Memory',
    metrics: { memoryBytes: 'working set' },
    format: formatBytes,
  },
  {
    title: 'Active connections',
    metrics: { activeConnections: 'connections' },
    format: fixed(0, ''),
  },
];

/** The runbook's business metrics; drawn only for services that report them. */
export const BUSINESS_CHARTS: ChartSpec[] = [
  {
    title: 'Transactions',
    metrics: { transactionsPerSecond: 'transactions' },
    format: fixed(2, '/s'),
  },
  {
    title: 'User sessions',
    metrics: { userSessions: 'sessions' },
    format: fixed(0, ''),
  },
  {
    title: 'Revenue',
    metrics: { revenuePerSecond: 'revenue' },
    format: fixed(2, '/s'),
  },
  {
    title: 'Content uploads and downloads',
    metrics: { uploadsPerSecond: 'uploads', downloadsPerSecond: 'downloads' },
    format: fixed(2, '/s'),
  },
];
