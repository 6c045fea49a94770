import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { OnCallPerson } from '../../hooks/onCallFromCatalog';
import { RelativeTime } from '../time';
import { ContactLinks, displayNameOf } from './ContactLinks';

/** "Greta Vogel, until in 5 days" with contact links; `from` shows the start instead. */
export const PersonLine = (props: { person: OnCallPerson; from?: boolean }) => {
  const { shift, user } = props.person;
  const name = user ? displayNameOf(user) : parseEntityRef(shift.userRef).name;
  return (
    <Box display="flex" alignItems="center" justifyContent="space-between">
      <Typography variant="body2">
        <strong>{name}</strong>
        {props.from ? ', from ' : ', until '}
        <RelativeTime iso={props.from ? shift.start : shift.end} />
        {shift.source === 'override' &&
          ` (override${shift.reason ? `: ${shift.reason}` : ''})`}
        {!user && ' — not in the catalog, no contact details'}
      </Typography>
      {user && <ContactLinks user={user} />}
    </Box>
  );
};
