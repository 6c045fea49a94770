import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentSeverity,
} from '@nexus-cos/plugin-runbook-common';
import type { IncidentFilter } from '../../hooks/useIncidents';

/** "All" is a shown value, so the label must sit above it, not over it. */
const SHRUNK = { shrink: true };

/** Status and severity filters of the incident history. */
export const IncidentFilters = (props: {
  value: IncidentFilter;
  onChange: (filter: IncidentFilter) => void;
}) => {
  const { value, onChange } = props;
  return (
    <Box display="flex" mb={1}>
      <TextField
        id="incident-filter-status"
        select
        label="Status"
        value={value.status ?? ''}
        onChange={e =>
          onChange({ ...value, status: e.target.value || undefined })
        }
        SelectProps={{ native: true }}
        InputLabelProps={SHRUNK}
        style={{ minWidth: 160, marginRight: 16 }}
      >
        <option value="">All</option>
        <option value="open">Open</option>
        {INCIDENT_STATUSES.map(s => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </TextField>
      <TextField
        id="incident-filter-severity"
        select
        label="Severity"
        value={value.severity ?? ''}
        onChange={e =>
          onChange({
            ...value,
            severity: (e.target.value || undefined) as
              | IncidentSeverity
              | undefined,
          })
        }
        SelectProps={{ native: true }}
        InputLabelProps={SHRUNK}
        style={{ minWidth: 120 }}
      >
        <option value="">All</option>
        {INCIDENT_SEVERITIES.map(s => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </TextField>
    </Box>
  );
};
