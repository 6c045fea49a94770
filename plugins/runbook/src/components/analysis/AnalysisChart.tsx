import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { AnalysisReport } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const ms = (seconds: number) => `${Math.round(seconds * 1000)} ms`;
const clock = (iso: string) => DateTime.fromISO(iso).toFormat('HH:mm:ss');

const VERDICT: Record<AnalysisReport['verdict'], string> = {
  pass: 'passed',
  fail: 'failed',
  skipped: 'skipped',
};

/** One signal's samples against its limit, the limit drawn as a dashed line. */
const SignalChart = (props: {
  title: string;
  report: AnalysisReport;
  metric: 'errorRatio' | 'latencyP95Seconds';
  format: (value: number) => string;
}) => {
  const { report, metric, format } = props;
  const limit = report.limits[metric];
  return (
    <figure aria-label={props.title} style={{ margin: 0 }}>
      <Typography component="figcaption" variant="subtitle2">
        {props.title} (limit {format(limit)})
      </Typography>
      <ResponsiveContainer width="100%" height={140}>
        <LineChart data={report.samples}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={clock} minTickGap={24} />
          <YAxis tickFormatter={format} width={70} />
          <Tooltip
            labelFormatter={at => clock(String(at))}
            formatter={(v: unknown) => format(Number(v))}
          />
          <ReferenceLine y={limit} stroke="#d62728" strokeDasharray="6 3" />
          <Line
            dataKey={metric}
            stroke="#1f77b4"
            isAnimationActive={false}
            dot
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};

/**
 * A rollout's or switch's metric analysis: the verdict and why, then the new pods'
 * error ratio and p95 latency per sample against their limits.
 */
export const AnalysisChart = (props: { report: AnalysisReport }) => {
  const { report } = props;
  const failed = report.samples.filter(s => !s.ok).length;
  return (
    <Box my={1} aria-label="Metric analysis">
      <Typography variant="subtitle1">
        Metric analysis {VERDICT[report.verdict]}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {report.subject}: {report.samples.length} samples, {failed} over the
        limits; {report.failureLimit} in a row abort the change.
        {report.baseline
          ? ` Before the change: errors ${pct(
              report.baseline.errorRatio ?? 0,
            )}, p95 ${ms(report.baseline.latencyP95Seconds ?? 0)}.`
          : ''}
      </Typography>
      {report.reason && (
        <Typography variant="body2" color="error">
          {report.reason}
        </Typography>
      )}
      <SignalChart
        title="Error ratio"
        report={report}
        metric="errorRatio"
        format={pct}
      />
      <SignalChart
        title="p95 latency"
        report={report}
        metric="latencyP95Seconds"
        format={ms}
      />
    </Box>
  );
};
