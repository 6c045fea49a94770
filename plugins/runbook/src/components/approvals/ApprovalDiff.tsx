import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { RunApproval } from '@nexus-cos/plugin-runbook-common';
import { DiffView } from '../RunbookContent/DiffView';
import { RelativeTime } from '../time';

/**
 * The dry-run diff that approvers decide on, and when it was taken: at the request, and
 * again when an approval found the live state changed. The engine keeps no secret value
 * in a run, so there is nothing of the request's to mask here.
 */
export const ApprovalDiff = (props: { approval: RunApproval }) => (
  <Box component="section" aria-label="Diff to approve">
    <Typography variant="subtitle2">
      What it would change (dry run taken{' '}
      <RelativeTime iso={props.approval.diffAt} />)
    </Typography>
    <DiffView diff={props.approval.diff} secrets={[]} />
  </Box>
);
