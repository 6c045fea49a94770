import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { DateTime } from 'luxon';
import { formatMillis, useNow } from '../time';

/** A live countdown to an approval's expiry, with the local time on hover and for screen readers. */
export const ExpiresIn = (props: { iso: string }) => {
  const left = Date.parse(props.iso) - useNow();
  const absolute = DateTime.fromISO(props.iso).toLocaleString(
    DateTime.DATETIME_FULL,
  );
  return (
    <Tooltip title={absolute}>
      <Typography
        variant="body2"
        component="time"
        dateTime={props.iso}
        aria-label={`${
          left > 0 ? `expires in ${formatMillis(left)}` : 'expired'
        }, at ${absolute}`}
        color={left > 0 ? 'textPrimary' : 'error'}
      >
        {left > 0 ? `expires in ${formatMillis(left)}` : 'expired'}
      </Typography>
    </Tooltip>
  );
};
