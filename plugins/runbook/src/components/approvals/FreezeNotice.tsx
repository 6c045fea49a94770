import { ReactNode } from 'react';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { DateTime } from 'luxon';
import type { ActiveFreeze } from '@nexus-cos/plugin-runbook-common';

/** `Change freeze "year-end" until <local time> (payments peak)`. */
export function freezeText(freeze: ActiveFreeze): string {
  const until = DateTime.fromISO(freeze.until).toLocaleString(
    DateTime.DATETIME_MED,
  );
  return `Change freeze "${freeze.name}" until ${until}${
    freeze.reason ? ` (${freeze.reason})` : ''
  }`;
}

/** A change freeze in force, and what it means for the reader (`children`). */
export const FreezeNotice = (props: {
  freeze: ActiveFreeze;
  children?: ReactNode;
}) => (
  <Alert severity="warning" role="status" aria-label={freezeText(props.freeze)}>
    <AlertTitle>{freezeText(props.freeze)}</AlertTitle>
    {props.children}
  </Alert>
);
