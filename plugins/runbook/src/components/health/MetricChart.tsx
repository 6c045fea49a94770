import Typography from '@material-ui/core/Typography';
import { HealthMetric, ServiceMetrics } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartSpec } from './metricCharts';

const COLOURS = ['#1f77b4', '#ff7f0e', '#d62728'];
const CHART_HEIGHT = 160;

/** Joins the series of several metrics into one row per timestamp, as recharts draws them. */
function rows(spec: ChartSpec, metrics: ServiceMetrics) {
  const byTime = new Map<number, Record<string, number>>();
  for (const metric of Object.keys(spec.metrics) as HealthMetric[]) {
    for (const [t, v] of metrics.series[metric] ?? []) {
      byTime.set(t, { ...(byTime.get(t) ?? { t }), [metric]: v });
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

const clock = (t: number) => DateTime.fromSeconds(t).toFormat('HH:mm');

/**
 * One golden-signal chart over the last hour, headed by the current values so that the
 * numbers are readable without the chart.
 */
export const MetricChart = (props: {
  spec: ChartSpec;
  metrics: ServiceMetrics;
}) => {
  const { spec, metrics } = props;
  const names = Object.entries(spec.metrics) as Array<[HealthMetric, string]>;
  const current = names
    .filter(([metric]) => metrics.current[metric] !== undefined)
    .map(
      ([metric, label]) =>
        `${names.length > 1 ? `${label} ` : ''}${spec.format(
          metrics.current[metric]!,
        )}`,
    )
    .join(', ');
  return (
    <figure aria-label={spec.title} style={{ margin: 0 }}>
      <Typography component="figcaption" variant="subtitle2">
        {spec.title}: {current || 'no current value'}
      </Typography>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={rows(spec, metrics)}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" tickFormatter={clock} minTickGap={24} />
          <YAxis tickFormatter={spec.format} width={80} />
          <Tooltip
            labelFormatter={t => clock(Number(t))}
            formatter={(v: unknown) => spec.format(Number(v))}
          />
          {names.length > 1 && <Legend />}
          {names.map(([metric, label], i) => (
            <Line
              key={metric}
              dataKey={metric}
              name={label}
              stroke={COLOURS[i % COLOURS.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};

/** Whether the service reports any of the chart's metrics. */
export const hasChartData = (spec: ChartSpec, metrics: ServiceMetrics) =>
  Object.keys(spec.metrics).some(
    m =>
      metrics.current[m as HealthMetric] !== undefined ||
      (metrics.series[m as HealthMetric]?.length ?? 0) > 0,
  );
