import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import { isFleetDone, useFleetRun } from '../../hooks/useFleetRun';
import { ApprovalState, FleetDecision } from '../approvals';
import { RunStatus } from '../RunStatus';
import { RelativeTime } from '../time';
import { FleetPlanTable } from './FleetPlanTable';

/** "2 succeeded, 1 skipped, 1 not started". */
function tally(fleet: FleetRun): string {
  const counts = new Map<string, number>();
  for (const c of fleet.children) {
    const label = c.status === 'not-started' ? 'not started' : c.status;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}

/**
 * A fleet run as it goes: its status, each service's status with a link to its run, the
 * report when it has ended, and a cancel that stops it between services. A fleet run
 * awaiting approval says whom it awaits and until when (with Approve and Reject for those
 * who may decide), and its cancel withdraws the request.
 */
export const FleetProgress = (props: {
  fleetId: string;
  onClose: () => void;
  pollMs?: number;
}) => {
  const { fleetId, onClose, pollMs } = props;
  const { fleet, error, refresh, cancel, cancelError } = useFleetRun(
    fleetId,
    pollMs,
  );
  const done = isFleetDone(fleet);
  const awaiting = fleet?.status === 'awaiting-approval';
  return (
    <>
      <DialogContent>
        {!fleet && error && <ResponseErrorPanel error={error} />}
        {!fleet && !error && <Progress />}
        {fleet && (
          <>
            <Box
              display="flex"
              alignItems="center"
              style={{ gap: 12 }}
              aria-label="Fleet run status"
            >
              <RunStatus status={fleet.status} />
              <Typography variant="body2">
                {fleet.action} by {parseEntityRef(fleet.actor).name},{' '}
                <RelativeTime iso={fleet.createdAt} />: {tally(fleet)}
              </Typography>
            </Box>
            {fleet.approval && (
              <ApprovalState
                run={{ ...fleet, entityRef: fleet.scope }}
                noun="fleet run"
                actions={
                  awaiting && (
                    <FleetDecision fleet={fleet} onDecided={refresh} />
                  )
                }
              />
            )}
            {!done && !awaiting && <LinearProgress style={{ marginTop: 8 }} />}
            {fleet.error && (
              <Typography role="alert" color="error" style={{ marginTop: 8 }}>
                {fleet.error}
              </Typography>
            )}
            <FleetPlanTable plan={fleet.plan} children={fleet.children} />
          </>
        )}
        {cancelError && <ResponseErrorPanel error={cancelError} />}
      </DialogContent>
      <DialogActions>
        {fleet && !done && (
          <Button onClick={cancel} disabled={fleet.cancelRequested}>
            {awaiting && 'Withdraw request'}
            {!awaiting &&
              (fleet.cancelRequested
                ? 'Cancelling after the services in progress'
                : 'Cancel fleet run')}
          </Button>
        )}
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </>
  );
};
