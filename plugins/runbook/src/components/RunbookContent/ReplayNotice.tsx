import Alert from '@material-ui/lab/Alert';
import { DateTime } from 'luxon';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { RunLink } from '../RunLink';

/**
 * Says that the server recognised a retried request and answered with the run the first
 * attempt had started: without it, a user whose first click seemed to fail would take
 * the earlier run for a new one.
 */
export const ReplayNotice = (props: { run: Run }) => {
  const { run } = props;
  const at = DateTime.fromISO(run.createdAt);
  return (
    <Alert severity="info">
      This request was already submitted at{' '}
      {at.toLocaleString(DateTime.DATETIME_MED_WITH_SECONDS)} ({at.toRelative()}
      ): showing that run (<RunLink runId={run.id} />) instead of starting
      another.
    </Alert>
  );
};
