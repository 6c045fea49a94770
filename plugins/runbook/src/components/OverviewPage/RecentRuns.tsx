import { parseEntityRef } from '@backstage/catalog-model';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  AuditRecord,
  RunStatus as RunStatusValue,
  TERMINAL_RUN_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import { RunLink } from '../RunLink';
import { RunStatus } from '../RunStatus';
import { RelativeTime } from '../time';

const SHOWN = 10;

/** The last finished runs across all services, from the audit trail's final events. */
export const RecentRuns = (props: { records: AuditRecord[] }) => {
  const finished = props.records
    .filter(
      r => r.runId && TERMINAL_RUN_STATUSES.includes(r.event as RunStatusValue),
    )
    .sort((a, b) => b.seq - a.seq)
    .slice(0, SHOWN);
  if (finished.length === 0) {
    return <Typography variant="body2">No runs yet.</Typography>;
  }
  return (
    <Table size="small" aria-label="Recent runs">
      <TableHead>
        <TableRow>
          <TableCell>Service</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Result</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Finished</TableCell>
          <TableCell>Run</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {finished.map(r => (
          <TableRow key={r.seq}>
            <TableCell>{parseEntityRef(r.entityRef).name}</TableCell>
            <TableCell>{r.action}</TableCell>
            <TableCell>
              <RunStatus status={r.event as RunStatusValue} />
            </TableCell>
            <TableCell>{parseEntityRef(r.actor).name}</TableCell>
            <TableCell>
              <RelativeTime iso={r.at} />
            </TableCell>
            <TableCell>
              <RunLink runId={r.runId!} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
