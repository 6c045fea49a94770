import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { OnCallAssignment } from '@nexus-cos/plugin-runbook-common';
import { RelativeTime } from '../time';
import { ContactLinks } from './ContactLinks';

/** "Greta Vogel, until in 5 days" with contact links; `from` shows the start instead. */
export const PersonLine = (props: {
  assignment: OnCallAssignment;
  from?: boolean;
}) => {
  const { shift, contact } = props.assignment;
  return (
    <Box display="flex" alignItems="center" justifyContent="space-between">
      <Typography variant="body2">
        <strong>{contact.name}</strong>
        {props.from ? ', from ' : ', until '}
        <RelativeTime iso={props.from ? shift.start : shift.end} />
        {shift.source === 'override' &&
          ` (override${shift.reason ? `: ${shift.reason}` : ''})`}
      </Typography>
      <ContactLinks contact={contact} />
    </Box>
  );
};
