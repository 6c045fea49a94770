import Typography from '@material-ui/core/Typography';
import type { IncidentStats } from '@nexus-cos/plugin-runbook-common';
import { formatMillis } from '../time';

const mean = (seconds?: number) =>
  seconds === undefined ? 'n/a' : formatMillis(seconds * 1000);

/** Counts and the mean times to acknowledge and to resolve. */
export const IncidentStatsLine = (props: { stats: IncidentStats }) => {
  const { stats } = props;
  return (
    <Typography variant="body2" aria-label="Incident statistics">
      {stats.open} open of {stats.total} · MTTA {mean(stats.mttaSeconds)} · MTTR{' '}
      {mean(stats.mttrSeconds)}
    </Typography>
  );
};
