import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { DateTime } from 'luxon';
import {
  ApprovalDecision,
  FleetRunStatus,
  RunApproval,
  RunStatus,
  describeAwaiting,
} from '@nexus-cos/plugin-runbook-common';
import { useApprovalsLink } from '../../hooks/useApprovalsLink';
import { RelativeTime } from '../time';
import { ExpiresIn } from './ExpiresIn';
import { IncidentLink } from './IncidentLink';

const localTime = (iso: string) =>
  DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);

/**
 * "awaiting approval by …": the engine's own wording (as in a template's log), with the
 * expiry in the reader's local time instead of UTC.
 */
export const awaitingText = (approval: RunApproval) =>
  describeAwaiting({ ...approval, expiresAt: localTime(approval.expiresAt) });

const person = (ref: string) => parseEntityRef(ref).name;

const DecisionLine = (props: { verb: string; decision: ApprovalDecision }) => (
  <>
    {props.verb} by{' '}
    <span title={props.decision.actor}>{person(props.decision.actor)}</span>{' '}
    <RelativeTime iso={props.decision.at} />: {props.decision.comment}
  </>
);

/** What has an approval: a run, or a fleet run (whose `entityRef` is its scope). */
export type ApprovalHolder = {
  status: RunStatus | FleetRunStatus;
  approval?: RunApproval;
  entityRef: string;
};

/**
 * Where a run's (or, with `noun`, a fleet run's) approval stands: whom it awaits, what is
 * still needed and until when (with a link to the approvals page); the approvals given;
 * the rejection; the expiry; and, for an emergency change during a freeze, the freeze
 * and the incident. `actions` (Approve and Reject) sit under the waiting notice for those
 * who may decide.
 */
export const ApprovalState = (props: {
  run: ApprovalHolder;
  noun?: string;
  actions?: ReactNode;
}) => {
  const { run, actions, noun = 'run' } = props;
  const approvalsLink = useApprovalsLink();
  const approval = run.approval;
  if (!approval) return null;
  return (
    <Box
      component="section"
      aria-label="Approval"
      display="flex"
      flexDirection="column"
      style={{ gap: 8 }}
      my={1}
    >
      {run.status === 'awaiting-approval' && (
        <Alert severity="info" role="status">
          <AlertTitle>Awaiting approval</AlertTitle>
          <Typography variant="body2">
            This {noun} is {awaitingText(approval)}.
          </Typography>
          <Typography variant="body2" component="div">
            {approval.approvals.length} of {approval.required} approval
            {approval.required > 1 ? 's' : ''} given;{' '}
            <ExpiresIn iso={approval.expiresAt} />. Nothing changes until then.
          </Typography>
          {approvalsLink && (
            <Typography variant="body2">
              <Link to={approvalsLink}>Open the Approvals page</Link>
            </Typography>
          )}
          {actions && <Box mt={1}>{actions}</Box>}
        </Alert>
      )}
      {approval.emergency && (
        <Alert severity="warning">
          Emergency change during the change freeze "{approval.emergency.freeze}
          ", answering{' '}
          <IncidentLink
            incidentId={approval.emergency.incidentId}
            entityRef={run.entityRef}
          />
          .
        </Alert>
      )}
      {approval.approvals.length > 0 && (
        <Box component="ul" m={0} pl={2} aria-label="Approvals given">
          {approval.approvals.map(decision => (
            <Typography
              component="li"
              variant="body2"
              key={`${decision.actor}@${decision.at}`}
            >
              <DecisionLine verb="Approved" decision={decision} />
            </Typography>
          ))}
        </Box>
      )}
      {approval.rejection && (
        <Alert severity="error">
          <DecisionLine verb="Rejected" decision={approval.rejection} />
        </Alert>
      )}
      {run.status === 'expired' && (
        <Alert severity="warning">
          Expired: nobody approved it before {localTime(approval.expiresAt)};
          nothing changed.
        </Alert>
      )}
    </Box>
  );
};
