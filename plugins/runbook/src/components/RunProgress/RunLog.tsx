import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { RunLogEntry } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';

/** The run's step log, oldest first, in a fixed-height scrolling box. */
export const RunLog = (props: { entries: RunLogEntry[] }) => (
  <Box
    component="ol"
    aria-label="Run log"
    height={200}
    overflow="auto"
    p={1}
    m={0}
    bgcolor="background.default"
    fontFamily="monospace"
    fontSize="0.8rem"
    style={{ listStyle: 'none' }}
  >
    {props.entries.length === 0 && (
      <Typography component="li" variant="body2" color="textSecondary">
        No log lines yet.
      </Typography>
    )}
    {props.entries.map(entry => (
      <li key={entry.seq}>
        <Typography
          component="span"
          variant="inherit"
          color={entry.level === 'error' ? 'error' : 'textPrimary'}
        >
          {DateTime.fromISO(entry.at).toLocaleString(
            DateTime.TIME_WITH_SECONDS,
          )}{' '}
          {entry.level.toUpperCase()} {entry.message}
        </Typography>
      </li>
    ))}
  </Box>
);
