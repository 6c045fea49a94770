import Tooltip from '@material-ui/core/Tooltip';
import { DateTime } from 'luxon';

/** An instant as "5 minutes ago", with the exact local time on hover and for screen readers. */
export const RelativeTime = (props: { iso: string }) => {
  const at = DateTime.fromISO(props.iso);
  const absolute = at.toLocaleString(DateTime.DATETIME_FULL_WITH_SECONDS);
  return (
    <Tooltip title={absolute}>
      <time dateTime={props.iso} aria-label={absolute}>
        {at.toRelative()}
      </time>
    </Tooltip>
  );
};
