import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';
import { maskSecrets } from '../secrets';

/**
 * The dry-run's changes, one table per object, before and after side by side. `secrets`
 * (the request's secret values) are masked should the answer carry one.
 */
export const DiffView = (props: {
  diff: ObjectDiff[];
  secrets: readonly string[];
}) => {
  const show = (value: unknown) =>
    value === undefined
      ? '—'
      : maskSecrets(JSON.stringify(value), props.secrets);
  if (props.diff.length === 0) {
    return (
      <Typography>
        No changes: the cluster already matches this request.
      </Typography>
    );
  }
  return (
    <>
      {props.diff.map(object => (
        <Box key={`${object.kind}/${object.namespace}/${object.name}`} mb={2}>
          <Typography variant="subtitle2">
            {object.operation} {object.kind} {object.namespace}/{object.name}
          </Typography>
          <Table
            size="small"
            aria-label={`Changes to ${object.kind} ${object.name}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Field</TableCell>
                <TableCell>Before</TableCell>
                <TableCell>After</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {object.changes.map(change => (
                <TableRow key={change.path}>
                  <TableCell component="th" scope="row">
                    <code>{change.path}</code>
                  </TableCell>
                  <TableCell>
                    <code>{show(change.before)}</code>
                  </TableCell>
                  <TableCell>
                    <code>{show(change.after)}</code>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ))}
    </>
  );
};
