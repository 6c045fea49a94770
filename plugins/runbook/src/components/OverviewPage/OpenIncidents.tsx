import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Incident,
  INCIDENT_SEVERITIES,
} from '@nexus-cos/plugin-runbook-common';
import { IncidentList, SeverityChip } from '../incidents';

/** Open incidents across services: a count per severity, then the list with what each affects. */
export const OpenIncidents = (props: { incidents: Incident[] }) => {
  const { incidents } = props;
  if (incidents.length === 0) {
    return <Typography variant="body2">No open incidents.</Typography>;
  }
  return (
    <>
      <Box display="flex" mb={1} aria-label="Open incidents by severity">
        {INCIDENT_SEVERITIES.map(severity => (
          <Box key={severity} mr={2} display="flex" alignItems="center">
            <SeverityChip severity={severity} />
            <Typography variant="body2" style={{ marginLeft: 4 }}>
              {incidents.filter(i => i.severity === severity).length}
            </Typography>
          </Box>
        ))}
      </Box>
      <IncidentList incidents={incidents} showAffected />
    </>
  );
};
