import { useEffect, useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { parseEntityRef } from '@backstage/catalog-model';
import { isTerminal, useRunProgress } from '../../hooks/useRunProgress';
import type {
  AnalysisReport,
  DiagnosticsReport,
} from '@nexus-cos/plugin-runbook-common';
import { AnalysisChart } from '../analysis';
import { ApprovalDiff, ApprovalState, RunDecision } from '../approvals';
import { DiagnosticsReportView } from '../diagnostics';
import { RunLink } from '../RunLink';
import { RunStatus } from '../RunStatus';
import { formatDuration, RelativeTime } from '../time';
import { RunDetails } from './RunDetails';
import { RunLog } from './RunLog';

/** Statuses whose reason the approval state gives (who rejected and why, the expiry). */
const DECIDED = ['rejected', 'expired'];

/**
 * A run's live state: status, who started it and when, its step log and a cancel button
 * while it can still be stopped. A run awaiting approval says whom it awaits and until
 * when instead of a progress bar, and is followed until decided; cancelling it withdraws
 * the request. `details` adds its entity, input, before/after state and, while it waits,
 * the diff the approvers see with Approve and Reject for those who may decide.
 * `onFinished` fires once when the run becomes terminal.
 */
export const RunProgress = (props: {
  runId: string;
  details?: boolean;
  onFinished?: () => void;
}) => {
  const { runId, details, onFinished } = props;
  const { run, log, error, cancel, cancelError, refresh } =
    useRunProgress(runId);
  const [cancelling, setCancelling] = useState(false);
  const done = isTerminal(run);
  const awaiting = run?.status === 'awaiting-approval';

  useEffect(() => {
    if (done) onFinished?.();
  }, [done, onFinished]);

  if (!run) {
    return error ? (
      <ResponseErrorPanel error={error} />
    ) : (
      <Skeleton variant="rect" height={160} aria-label="Loading run" />
    );
  }
  return (
    <Box>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        {/* The status indicator is a block; keep it on the action's line. */}
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <Typography variant="subtitle1">{run.action}</Typography>
          <RunStatus status={run.status} />
        </Box>
        {!done && (
          <Button
            variant="outlined"
            onClick={async () => {
              setCancelling(true);
              await cancel();
              setCancelling(false);
            }}
            disabled={cancelling || run.cancelRequested}
          >
            {run.cancelRequested && 'Cancelling…'}
            {!run.cancelRequested &&
              (awaiting ? 'Withdraw request' : 'Cancel run')}
          </Button>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        Run <RunLink runId={run.id} /> by {parseEntityRef(run.actor).name},
        requested <RelativeTime iso={run.createdAt} />
        {done && run.startedAt && run.finishedAt
          ? `, took ${formatDuration(run.startedAt, run.finishedAt)}`
          : ''}
      </Typography>
      {/* Reserves the bar's height after the run ends, so the log does not jump. */}
      <Box height={4} my={1}>
        {!done && !awaiting && <LinearProgress aria-label="Run in progress" />}
      </Box>
      <ApprovalState
        run={run}
        actions={
          details &&
          awaiting && <RunDecision run={run} onDecided={() => refresh()} />
        }
      />
      {details && awaiting && run.approval && (
        <ApprovalDiff approval={run.approval} />
      )}
      {run.error && !(run.approval && DECIDED.includes(run.status)) && (
        <Typography variant="body2" color="error">
          {run.error}
        </Typography>
      )}
      {run.result?.kind === 'diagnostics' && (
        <DiagnosticsReportView
          report={run.result as DiagnosticsReport}
          entityRef={run.entityRef}
        />
      )}
      {run.result?.kind === 'analysis' && (
        <AnalysisChart report={run.result as AnalysisReport} />
      )}
      {details && <RunDetails run={run} />}
      {error && <ResponseErrorPanel error={error} />}
      {cancelError && <ResponseErrorPanel error={cancelError} />}
      <RunLog entries={log} />
    </Box>
  );
};
