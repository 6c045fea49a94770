import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { WorkloadState } from '@nexus-cos/plugin-runbook-common';
import { RelativeTime } from '../time';

/**
 * The service's pods: phase (or why a container waits), readiness, restarts and age.
 * Without `pods` the cluster was not read, which is not the same as no pods running.
 */
export const PodTable = (props: { pods?: WorkloadState['pods'] }) => {
  if (!props.pods) {
    return (
      <Typography variant="body2">
        Pods unknown: the cluster was not read.
      </Typography>
    );
  }
  if (props.pods.length === 0) {
    return <Typography variant="body2">No pods are running.</Typography>;
  }
  return (
    <Table size="small" aria-label="Pods">
      <TableHead>
        <TableRow>
          <TableCell>Pod</TableCell>
          <TableCell>Phase</TableCell>
          <TableCell>Ready</TableCell>
          <TableCell align="right">Restarts</TableCell>
          <TableCell>Age</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.pods.map(pod => (
          <TableRow key={pod.name}>
            <TableCell>{pod.name}</TableCell>
            <TableCell>
              {pod.phase}
              {pod.waitingReason && ` (${pod.waitingReason})`}
            </TableCell>
            <TableCell>{pod.ready ? 'yes' : 'no'}</TableCell>
            <TableCell align="right">{pod.restarts}</TableCell>
            <TableCell>
              {pod.createdAt && <RelativeTime iso={pod.createdAt} />}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
