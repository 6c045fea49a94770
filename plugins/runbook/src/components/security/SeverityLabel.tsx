import Chip from '@material-ui/core/Chip';
import type {
  FindingSeverity,
  VulnerabilitySeverity,
} from '@nexus-cos/plugin-runbook-common';

const COLOURS: Record<string, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#607d8b',
  unknown: '#9e9e9e',
};

/** A finding's or a vulnerability's severity as a chip that names it, never colour alone. */
export const SeverityLabel = (props: {
  severity: FindingSeverity | VulnerabilitySeverity;
  count?: number;
}) => {
  const { severity, count } = props;
  return (
    <Chip
      size="small"
      label={count === undefined ? severity : `${severity} ${count}`}
      style={{
        backgroundColor: COLOURS[severity.toLowerCase()],
        color: '#fff',
        marginRight: 4,
      }}
    />
  );
};
