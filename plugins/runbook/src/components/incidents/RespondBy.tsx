import Typography from '@material-ui/core/Typography';
import {
  Incident,
  OPEN_INCIDENT_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import { RelativeTime, formatMillis, useNow } from '../time';

const Countdown = ({ respondBy }: { respondBy: string }) => {
  const left = Date.parse(respondBy) - useNow();
  return (
    <Typography
      variant="body2"
      component="span"
      color={left < 0 ? 'error' : 'textPrimary'}
    >
      {left < 0
        ? `overdue by ${formatMillis(-left)}`
        : `respond within ${formatMillis(left)}`}
    </Typography>
  );
};

/**
 * Where an incident stands against its response target: a live countdown until someone
 * acknowledges it, then who did and when.
 */
export const RespondBy = (props: { incident: Incident }) => {
  const { incident } = props;
  if (incident.acknowledgedAt) {
    return (
      <Typography variant="body2" component="span">
        acknowledged <RelativeTime iso={incident.acknowledgedAt} />
        {incident.acknowledgedBy && ` by ${incident.acknowledgedBy}`}
      </Typography>
    );
  }
  if (!OPEN_INCIDENT_STATUSES.includes(incident.status)) return null;
  return <Countdown respondBy={incident.respondBy} />;
};
