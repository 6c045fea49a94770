import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { FleetRun, Run } from '@nexus-cos/plugin-runbook-common';
import { useApprovalsLink } from '../../hooks/useApprovalsLink';
import { ExpiresIn } from '../approvals';
import { FLEET_COPY } from '../FleetCard/fleetCopy';
import { actionFormOf } from '../RunbookContent/actionForm';

type Row = {
  key: string;
  what: string;
  actor: string;
  rule: string;
  expiresAt: string;
};

const rowOfRun = (run: Run): Row => ({
  key: run.id,
  what: `${actionFormOf(run.action).title} on ${
    parseEntityRef(run.entityRef).name
  }`,
  actor: run.actor,
  rule: run.approval!.rule,
  expiresAt: run.approval!.expiresAt,
});

const rowOfFleet = (fleet: FleetRun): Row => ({
  key: `fleet:${fleet.id}`,
  what: `${FLEET_COPY[fleet.action].title} on ${
    parseEntityRef(fleet.scope).name
  }`,
  actor: fleet.actor,
  rule: fleet.approval!.rule,
  expiresAt: fleet.approval!.expiresAt,
});

/**
 * The changes and fleet runs waiting for the signed-in user's decision, soonest expiry
 * first, with the way to the Approvals page where they are decided.
 */
export const PendingApprovals = (props: {
  items: Run[];
  fleet: FleetRun[];
}) => {
  const approvalsLink = useApprovalsLink();
  const rows = [
    ...props.items.filter(r => r.approval).map(rowOfRun),
    ...props.fleet.filter(f => f.approval).map(rowOfFleet),
  ].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  const link = approvalsLink && (
    <Link to={approvalsLink}>Open the Approvals page</Link>
  );
  if (rows.length === 0) {
    return (
      <Typography variant="body2">
        Nothing waits for your decision. {link}
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" paragraph>
        {rows.length} change{rows.length === 1 ? '' : 's'} wait
        {rows.length === 1 ? 's' : ''} for your decision. {link}
      </Typography>
      <Table size="small" aria-label="Waiting for your decision">
        <TableHead>
          <TableRow>
            <TableCell>Change</TableCell>
            <TableCell>Requester</TableCell>
            <TableCell>Rule</TableCell>
            <TableCell>Expires</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.key}>
              <TableCell>{row.what}</TableCell>
              <TableCell>{parseEntityRef(row.actor).name}</TableCell>
              <TableCell>{row.rule}</TableCell>
              <TableCell>
                <ExpiresIn iso={row.expiresAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
};
