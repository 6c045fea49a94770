import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import type { ActiveFreeze, Incident } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { FreezeNotice } from '../approvals';
import { DeclareIncidentButton } from '../DeclareIncident';

/** The severities whose open incidents justify an emergency change during a freeze. */
const EMERGENCY_SEVERITIES = ['P0', 'P1'];

/**
 * During a change freeze: the open P0 or P1 incident of the service that a change
 * answers, chosen from the service's open incidents, which the engine checks again.
 * The user picks it deliberately: it goes on the audit trail and the incident's timeline.
 * With none open, it says so and offers to declare one (this is how an emergency starts).
 */
export const EmergencyIncidentField = (props: {
  freeze: ActiveFreeze;
  entityRef: string;
  service: string;
  value?: string;
  onChange: (incidentId: string | undefined) => void;
}) => {
  const { freeze, entityRef, service, value, onChange } = props;
  const api = useApi(runbookApiRef);
  const open = useLoader(
    () => api.listIncidents({ entity: entityRef, status: 'open' }),
    [api, entityRef],
  );
  const candidates: Incident[] =
    open.value?.items.filter(i => EMERGENCY_SEVERITIES.includes(i.severity)) ??
    [];

  return (
    <Box my={2}>
      <FreezeNotice freeze={freeze}>
        Only an emergency change may run now: it names the open P0 or P1
        incident of {service} it answers, and waits for another person's
        approval before it runs.
      </FreezeNotice>
      {open.error && <ResponseErrorPanel error={open.error} />}
      {!open.value && !open.error && <Progress />}
      {open.value && candidates.length === 0 && (
        <Box mt={1}>
          <Alert severity="error">
            No open P0 or P1 incident affects {service}, so no change can run
            during the freeze. If this is an emergency, declare the incident
            first.
          </Alert>
          <Box mt={1}>
            <DeclareIncidentButton
              defaults={{ entityRefs: [entityRef], severity: 'P1' }}
              onDeclared={open.reload}
            />
          </Box>
        </Box>
      )}
      {candidates.length > 0 && (
        <TextField
          id="runbook-emergency-incident"
          select
          label="Emergency incident"
          required
          value={value ?? ''}
          onChange={e => onChange(e.target.value || undefined)}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          helperText="The open P0 or P1 incident this change answers; the change is noted on its timeline"
          margin="normal"
          fullWidth
        >
          <option value="" disabled>
            Choose…
          </option>
          {candidates.map(incident => (
            <option key={incident.id} value={incident.id}>
              {incident.severity} {incident.title} ({incident.status})
            </option>
          ))}
        </TextField>
      )}
    </Box>
  );
};
