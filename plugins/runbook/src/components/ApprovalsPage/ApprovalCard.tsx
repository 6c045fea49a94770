import { ReactNode } from 'react';
import { StructuredMetadataTable } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  Run,
  RunApproval,
  describeApprovers,
} from '@nexus-cos/plugin-runbook-common';
import { RunLink } from '../RunLink';
import { actionFormOf } from '../RunbookContent/actionForm';
import { ExpiresIn, INITIATOR_TEXT, IncidentLink } from '../approvals';
import { RelativeTime } from '../time';

const keepTitles = { titleFormat: (key: string) => key };

/** What waits: a run, or a fleet run (whose `entityRef` is its scope). */
type Request = {
  actor: string;
  createdAt: string;
  reason?: string;
  entityRef: string;
};

/** The facts an approver decides on, and that a requester follows. */
export function facts(
  run: Request,
  approval: RunApproval,
): Record<string, ReactNode> {
  return {
    Requester: <span title={run.actor}>{parseEntityRef(run.actor).name}</span>,
    Requested: <RelativeTime iso={run.createdAt} />,
    'Started by': INITIATOR_TEXT[approval.initiator],
    Reason: run.reason ?? '—',
    Rule: approval.rule,
    Approvals: `${approval.approvals.length} of ${approval.required}${
      approval.approvals.length
        ? ` (${approval.approvals
            .map(a => `${parseEntityRef(a.actor).name}: ${a.comment}`)
            .join('; ')})`
        : ''
    }`,
    Approvers: describeApprovers(approval.approvers),
    Expires: <ExpiresIn iso={approval.expiresAt} />,
    ...(approval.emergency
      ? {
          Emergency: (
            <>
              during the change freeze "{approval.emergency.freeze}", answering{' '}
              <IncidentLink
                incidentId={approval.emergency.incidentId}
                entityRef={run.entityRef}
              />
            </>
          ),
        }
      : {}),
  };
}

/**
 * One change awaiting approval: what, on which service, by whom, why, under which rule,
 * who may decide and until when, then `children` (the diff and the decision buttons, or
 * withdraw).
 */
export const ApprovalCard = (props: { run: Run; children?: ReactNode }) => {
  const { run, children } = props;
  const approval = run.approval;
  const title = actionFormOf(run.action).title;
  const name = parseEntityRef(run.entityRef).name;
  return (
    <Paper
      variant="outlined"
      component="article"
      aria-label={`${title} on ${name}`}
      style={{ padding: 16 }}
    >
      <Typography variant="h6" component="h3">
        {title} on <EntityRefLink entityRef={run.entityRef} hideIcon />
      </Typography>
      {approval && (
        <StructuredMetadataTable
          metadata={{
            ...facts(run, approval),
            Run: <RunLink runId={run.id} />,
          }}
          options={keepTitles}
        />
      )}
      {children && <Box mt={1}>{children}</Box>}
    </Paper>
  );
};
