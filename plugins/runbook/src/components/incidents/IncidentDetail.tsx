import { useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import { Incident, nextIncidentPhases } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { RelativeTime } from '../time';
import { IncidentTimeline } from './IncidentTimeline';
import { PhaseStepper } from './PhaseStepper';
import { PostMortemEditor } from './PostMortemEditor';
import { RespondBy } from './RespondBy';
import { SeverityChip } from './SeverityChip';

/**
 * One incident: where it stands in the runbook's procedure, acknowledge and phase moves,
 * its timeline and, once resolved, the post-mortem. Mount it with `key={id}`.
 */
export const IncidentDetail = (props: {
  id: string;
  onChanged?: (incident: Incident) => void;
}) => {
  const api = useApi(runbookApiRef);
  const { id, onChanged } = props;
  const loaded = useLoader(() => api.getIncident(id), [api, id]);
  const [updated, setUpdated] = useState<Incident>();
  const [actionError, setActionError] = useState<Error>();
  const incident = updated ?? loaded.value;

  const apply = async (change: () => Promise<Incident>) => {
    setActionError(undefined);
    try {
      const next = await change();
      setUpdated(next);
      onChanged?.(next);
      return true;
    } catch (e) {
      setActionError(e as Error);
      return false;
    }
  };

  if (loaded.error) return <ResponseErrorPanel error={loaded.error} />;
  if (!incident) {
    return (
      <Skeleton variant="rect" height={360} aria-label="Loading incident" />
    );
  }
  // detected → assessing is what acknowledging does; offer it by that name.
  const moves = nextIncidentPhases(incident.status).filter(
    phase => phase !== 'assessing',
  );
  const postMortemOpen =
    incident.status === 'resolved' || incident.status === 'post-mortem';

  return (
    <section aria-label={`Incident ${incident.id}`}>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <SeverityChip severity={incident.severity} />
        <Typography variant="h6" component="h3" style={{ marginLeft: 8 }}>
          {incident.title}
        </Typography>
      </Box>
      <Typography variant="body2">
        Phase: {incident.status} · detected{' '}
        <RelativeTime iso={incident.detectedAt} /> by {incident.reporter} ·{' '}
        <RespondBy incident={incident} />
      </Typography>
      <Typography variant="body2">
        Affects {incident.entityRefs.join(', ')}
        {incident.commander && ` · commander ${incident.commander}`}
      </Typography>
      {incident.description && (
        <Typography variant="body2">{incident.description}</Typography>
      )}
      <PhaseStepper status={incident.status} />
      {actionError && <Alert severity="error">{actionError.message}</Alert>}
      <Box display="flex" flexWrap="wrap" mb={2}>
        {incident.status === 'detected' && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => apply(() => api.acknowledgeIncident(incident.id))}
          >
            Acknowledge
          </Button>
        )}
        {moves.map(phase => (
          <Button
            key={phase}
            variant="outlined"
            style={{ marginLeft: 8 }}
            onClick={() =>
              apply(() => api.updateIncident(incident.id, { status: phase }))
            }
          >
            Move to {phase}
          </Button>
        ))}
      </Box>
      <Typography variant="overline">Timeline</Typography>
      <IncidentTimeline
        incident={incident}
        onAdd={message =>
          apply(() => api.addIncidentTimelineEntry(incident.id, { message }))
        }
      />
      {postMortemOpen && (
        <Box mt={2}>
          <Typography variant="overline">Post-mortem</Typography>
          <PostMortemEditor
            incident={incident}
            onSave={postMortem =>
              apply(() => api.writePostMortem(incident.id, postMortem))
            }
          />
        </Box>
      )}
    </section>
  );
};
