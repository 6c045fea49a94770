import { useState } from 'react';
import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { RunLink } from '../RunLink';
import { actionFormOf } from '../RunbookContent/actionForm';
import { ApprovalDiff, DecisionButtons, serverMessage } from '../approvals';
import { ApprovalCard } from './ApprovalCard';

/** How often the lists are read again while the page is visible. */
const REFRESH_MS = 30_000;

const what = (run: Run) =>
  `${actionFormOf(run.action).title} on ${parseEntityRef(run.entityRef).name}`;

/** What became of a decision or a withdrawal, said once above the lists. */
type Outcome = { severity: 'success' | 'info'; text: string; run: Run };

function outcomeOf(run: Run): Outcome {
  if (run.status === 'awaiting-approval') {
    const missing = run.approval!.required - run.approval!.approvals.length;
    return {
      severity: 'info',
      text: `Approved ${what(run)}: ${missing} more approval${
        missing > 1 ? 's' : ''
      } needed before it runs.`,
      run,
    };
  }
  if (run.status === 'rejected') {
    return { severity: 'info', text: `Rejected ${what(run)}.`, run };
  }
  if (run.status === 'cancelled') {
    return { severity: 'info', text: `Withdrew ${what(run)}.`, run };
  }
  return {
    severity: 'success',
    text: `Approved ${what(run)}: it runs now.`,
    run,
  };
}

/**
 * Four eyes: the changes waiting for the signed-in user's decision, each with what it
 * would change, who asked, why, under which rule, who may decide and until when, with
 * Approve and Reject (a comment each); then the user's own waiting requests, which they
 * may withdraw. The server decides who sees what; the requester never sees their own
 * change among those to decide.
 */
export const ApprovalsPage = () => {
  const api = useApi(runbookApiRef);
  const options = { refreshMs: REFRESH_MS };
  const toDecide = useLoader(() => api.listApprovals(), [api], options);
  const mine = useLoader(
    () => api.listApprovals({ mine: true }),
    [api],
    options,
  );
  const [outcome, setOutcome] = useState<Outcome>();
  // The server's last refusal per run, kept beside its (re-read) diff.
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const refuse = (runId: string, error?: Error) =>
    setRefusals(r => {
      const next = { ...r };
      if (error) next[runId] = serverMessage(error);
      else delete next[runId];
      return next;
    });
  const [withdrawing, setWithdrawing] = useState<string>();

  const withdraw = async (run: Run) => {
    refuse(run.id);
    setWithdrawing(run.id);
    try {
      setOutcome(outcomeOf(await api.cancelRun(run.id)));
    } catch (error) {
      refuse(run.id, error as Error);
    }
    setWithdrawing(undefined);
    mine.reload();
  };

  return (
    <Content>
      {outcome && (
        <Box mb={3}>
          <Alert
            severity={outcome.severity}
            onClose={() => setOutcome(undefined)}
          >
            {outcome.text} Run <RunLink runId={outcome.run.id} />.
          </Alert>
        </Box>
      )}
      <Box mb={3}>
        <LoadedCard
          title="Waiting for your decision"
          state={toDecide}
          height={240}
        >
          {list =>
            list.items.length === 0 ? (
              <Typography variant="body2">
                Nothing waits for your decision. Changes that an approval rule
                holds for a person you can stand in for (your groups, or the
                on-call you are) appear here with their diff.
              </Typography>
            ) : (
              list.items.map(run => (
                <Box mb={2} key={run.id}>
                  <ApprovalCard run={run}>
                    <ApprovalDiff approval={run.approval!} />
                    {refusals[run.id] && (
                      <Box my={1}>
                        <Alert severity="error">{refusals[run.id]}</Alert>
                      </Box>
                    )}
                    <DecisionButtons
                      run={run}
                      onDecided={decided => {
                        refuse(run.id);
                        setOutcome(outcomeOf(decided));
                        toDecide.reload();
                      }}
                      onFailed={error => {
                        refuse(run.id, error);
                        toDecide.reload();
                      }}
                    />
                  </ApprovalCard>
                </Box>
              ))
            )
          }
        </LoadedCard>
      </Box>
      <LoadedCard title="Your requests" state={mine} height={160}>
        {list =>
          list.items.length === 0 ? (
            <Typography variant="body2">
              You have no changes awaiting approval. A change that an approval
              rule covers, or an emergency change during a freeze, waits here
              until another person decides.
            </Typography>
          ) : (
            list.items.map(run => (
              <Box mb={2} key={run.id}>
                <ApprovalCard run={run}>
                  {refusals[run.id] && (
                    <Box my={1}>
                      <Alert severity="error">{refusals[run.id]}</Alert>
                    </Box>
                  )}
                  <Button
                    variant="outlined"
                    onClick={() => withdraw(run)}
                    disabled={withdrawing === run.id}
                  >
                    Withdraw
                  </Button>
                </ApprovalCard>
              </Box>
            ))
          )
        }
      </LoadedCard>
    </Content>
  );
};
