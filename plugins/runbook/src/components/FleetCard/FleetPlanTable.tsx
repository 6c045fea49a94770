import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type {
  FleetChild,
  FleetPlanEntry,
} from '@nexus-cos/plugin-runbook-common';
import { RunLink } from '../RunLink';
import { FleetChildStatus } from './FleetChildStatus';

/**
 * The plan, one row per service in order, with its step (services of one step run
 * together), its status, its run and why it was skipped or not started. `pending`
 * names what will happen to services not started yet, in a preview.
 */
export const FleetPlanTable = (props: {
  plan: FleetPlanEntry[];
  children: FleetChild[];
  pending?: string;
}) => {
  const { plan, children, pending } = props;
  const preview = pending !== undefined;
  return (
    <Table size="small" aria-label="Plan">
      <TableHead>
        <TableRow>
          <TableCell>Step</TableCell>
          <TableCell>Service</TableCell>
          <TableCell>Status</TableCell>
          {!preview && <TableCell>Run</TableCell>}
          <TableCell>Why</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {plan.map((entry, i) => {
          const child = children[i];
          return (
            <TableRow
              key={entry.entityRef}
              aria-label={parseEntityRef(entry.entityRef).name}
            >
              <TableCell>{entry.depth + 1}</TableCell>
              <TableCell>
                <EntityRefLink
                  entityRef={entry.entityRef}
                  defaultKind="component"
                />
              </TableCell>
              <TableCell>
                <FleetChildStatus status={child.status} pending={pending} />
              </TableCell>
              {!preview && (
                <TableCell>
                  {child.runId && <RunLink runId={child.runId} />}
                </TableCell>
              )}
              <TableCell>{child.reason}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
};
