import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { OnCallOverview } from '@nexus-cos/plugin-runbook-common';
import { PersonLine } from '../OnCallCard';

/** Who is on call now for every Group with a rotation. */
export const OnCallNow = (props: { overview: OnCallOverview }) => {
  if (props.overview.items.length === 0) {
    return (
      <Typography variant="body2">
        No group declares an on-call rotation: add nexus-cos.io/oncall-rotation
        to the groups that run services.
      </Typography>
    );
  }
  return (
    <Box
      component="ul"
      pl={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label="On call now"
    >
      {props.overview.items.map(group => (
        <li key={group.groupRef}>
          <Typography variant="overline">{group.name}</Typography>
          {group.now && <PersonLine assignment={group.now} />}
          {!group.now && (
            <Typography variant="body2" color="error">
              {group.problem ?? 'nobody on call'}
            </Typography>
          )}
        </li>
      ))}
    </Box>
  );
};
