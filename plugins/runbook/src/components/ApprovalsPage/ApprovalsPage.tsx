import { useState } from 'react';
import { Content } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { FleetRun, Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { LoadedCard } from '../OverviewPage/LoadedCard';
import { RunLink } from '../RunLink';
import { actionFormOf } from '../RunbookContent/actionForm';
import {
  ApprovalDiff,
  DecisionButtons,
  FleetDecisionButtons,
  fleetWhat,
  serverMessage,
} from '../approvals';
import { ApprovalCard } from './ApprovalCard';
import { FleetApprovalCard } from './FleetApprovalCard';

/** How often the lists are read again while the page is visible. */
const REFRESH_MS = 30_000;

const what = (run: Run) =>
  `${actionFormOf(run.action).title} on ${parseEntityRef(run.entityRef).name}`;

/** What became of a decision or a withdrawal, said once above the lists. */
type Outcome = { severity: 'success' | 'info'; text: string; run?: Run };

const more = (missing: number) =>
  `${missing} more approval${missing > 1 ? 's' : ''} needed before it runs.`;

function fleetOutcomeOf(fleet: FleetRun): Outcome {
  const named = `${fleetWhat(fleet)} (fleet run ${fleet.id})`;
  if (fleet.status === 'awaiting-approval') {
    const missing = fleet.approval!.required - fleet.approval!.approvals.length;
    return { severity: 'info', text: `Approved ${named}: ${more(missing)}` };
  }
  if (fleet.status === 'rejected') {
    return { severity: 'info', text: `Rejected ${named}.` };
  }
  if (fleet.status === 'cancelled') {
    return { severity: 'info', text: `Withdrew ${named}.` };
  }
  return {
    severity: 'success',
    text: `Approved ${named}: it runs now; follow it on its System's Fleet card.`,
  };
}

function outcomeOf(run: Run): Outcome {
  if (run.status === 'awaiting-approval') {
    const missing = run.approval!.required - run.approval!.approvals.length;
    return {
      severity: 'info',
      text: `Approved ${what(run)}: ${more(missing)}`,
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
 * Approve and Reject (a comment each), and the fleet runs (start-all, stop-all) waiting
 * likewise, with their plan; then the user's own waiting requests, which they may
 * withdraw. The server decides who sees what; the requester never sees their own
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
  // Keyed by run id, or `fleet:` and the fleet run's id.
  const refuse = (key: string, error?: Error) =>
    setRefusals(r => {
      const next = { ...r };
      if (error) next[key] = serverMessage(error);
      else delete next[key];
      return next;
    });
  const refusal = (key: string) =>
    refusals[key] && (
      <Box my={1}>
        <Alert severity="error">{refusals[key]}</Alert>
      </Box>
    );
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

  const withdrawFleet = async (fleet: FleetRun) => {
    const key = `fleet:${fleet.id}`;
    refuse(key);
    setWithdrawing(key);
    try {
      setOutcome(fleetOutcomeOf(await api.cancelFleetRun(fleet.id)));
    } catch (error) {
      refuse(key, error as Error);
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
            {outcome.text}
            {outcome.run && (
              <>
                {' '}
                Run <RunLink runId={outcome.run.id} />.
              </>
            )}
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
            list.items.length === 0 && list.fleet.length === 0 ? (
              <Typography variant="body2">
                Nothing waits for your decision. Changes that an approval rule
                holds for a person you can stand in for (your groups, or the
                on-call you are) appear here with their diff.
              </Typography>
            ) : (
              <>
                {list.items.map(run => (
                  <Box mb={2} key={run.id}>
                    <ApprovalCard run={run}>
                      <ApprovalDiff approval={run.approval!} />
                      {refusal(run.id)}
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
                ))}
                {list.fleet.map(fleet => (
                  <Box mb={2} key={fleet.id}>
                    <FleetApprovalCard fleet={fleet}>
                      {refusal(`fleet:${fleet.id}`)}
                      <FleetDecisionButtons
                        fleet={fleet}
                        onDecided={decided => {
                          refuse(`fleet:${fleet.id}`);
                          setOutcome(fleetOutcomeOf(decided));
                          toDecide.reload();
                        }}
                        onFailed={error => {
                          refuse(`fleet:${fleet.id}`, error);
                          toDecide.reload();
                        }}
                      />
                    </FleetApprovalCard>
                  </Box>
                ))}
              </>
            )
          }
        </LoadedCard>
      </Box>
      <LoadedCard title="Your requests" state={mine} height={160}>
        {list =>
          list.items.length === 0 && list.fleet.length === 0 ? (
            <Typography variant="body2">
              You have no changes awaiting approval. A change that an approval
              rule covers, or an emergency change during a freeze, waits here
              until another person decides.
            </Typography>
          ) : (
            <>
              {list.items.map(run => (
                <Box mb={2} key={run.id}>
                  <ApprovalCard run={run}>
                    {refusal(run.id)}
                    <Button
                      variant="outlined"
                      onClick={() => withdraw(run)}
                      disabled={withdrawing === run.id}
                    >
                      Withdraw
                    </Button>
                  </ApprovalCard>
                </Box>
              ))}
              {list.fleet.map(fleet => (
                <Box mb={2} key={fleet.id}>
                  <FleetApprovalCard fleet={fleet}>
                    {refusal(`fleet:${fleet.id}`)}
                    <Button
                      variant="outlined"
                      onClick={() => withdrawFleet(fleet)}
                      disabled={withdrawing === `fleet:${fleet.id}`}
                    >
                      Withdraw
                    </Button>
                  </FleetApprovalCard>
                </Box>
              ))}
            </>
          )
        }
      </LoadedCard>
    </Content>
  );
};
