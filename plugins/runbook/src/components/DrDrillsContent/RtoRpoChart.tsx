import Typography from '@material-ui/core/Typography';
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
import { Drill, formatSeconds } from './drills';

const day = (t: number) => DateTime.fromMillis(t).toFormat('yyyy-MM-dd');

/** RTO and RPO of every drill over time, so a slowing restore shows before it matters. */
export const RtoRpoChart = (props: { drills: Drill[] }) => {
  const data = props.drills.map(d => ({
    t: d.at,
    rto: d.report.rtoSeconds,
    rpo: d.report.rpoSeconds,
  }));
  const last = props.drills.at(-1)?.report;
  return (
    <figure aria-label="RTO and RPO of the drills" style={{ margin: 0 }}>
      <Typography component="figcaption" variant="subtitle2">
        {last
          ? `Last drill: RTO ${formatSeconds(
              last.rtoSeconds,
            )}, RPO ${formatSeconds(last.rpoSeconds)}`
          : 'No drill yet'}
      </Typography>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" tickFormatter={day} minTickGap={24} />
          <YAxis tickFormatter={v => formatSeconds(Number(v))} width={90} />
          <Tooltip
            labelFormatter={t => day(Number(t))}
            formatter={(v: unknown) => formatSeconds(Number(v))}
          />
          <Legend />
          <Line
            dataKey="rto"
            name="RTO"
            stroke="#1f77b4"
            isAnimationActive={false}
          />
          <Line
            dataKey="rpo"
            name="RPO"
            stroke="#ff7f0e"
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};
