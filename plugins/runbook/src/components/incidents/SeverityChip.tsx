import Chip from '@material-ui/core/Chip';
import type { IncidentSeverity } from '@nexus-cos/plugin-runbook-common';
import { SEVERITY_DESCRIPTIONS } from '../DeclareIncident';

const COLOURS: Record<IncidentSeverity, string> = {
  P0: '#b71c1c',
  P1: '#e65100',
  P2: '#f9a825',
  P3: '#607d8b',
};

/** A severity as a coloured chip that also names it, so colour is never the only cue. */
export const SeverityChip = (props: { severity: IncidentSeverity }) => (
  <Chip
    size="small"
    label={`${props.severity} ${SEVERITY_DESCRIPTIONS[props.severity].label}`}
    style={{ backgroundColor: COLOURS[props.severity], color: '#fff' }}
  />
);
