import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ConfigFinding } from '@nexus-cos/plugin-runbook-common';
import { SeverityLabel } from '../security';

/** Configuration findings of the live pods, each with how to fix it. */
export const ConfigFindingsTable = (props: { items: ConfigFinding[] }) =>
  props.items.length === 0 ? (
    <Typography variant="body2">No configuration findings.</Typography>
  ) : (
    <Table size="small" aria-label="Configuration findings">
      <TableHead>
        <TableRow>
          <TableCell>Severity</TableCell>
          <TableCell>Object</TableCell>
          <TableCell>Finding</TableCell>
          <TableCell>Fix</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(f => (
          <TableRow key={`${f.check}/${f.object}/${f.message}`}>
            <TableCell>
              <SeverityLabel severity={f.severity} />
            </TableCell>
            <TableCell>
              <code>{f.object}</code>
            </TableCell>
            <TableCell>
              <Typography variant="body2">{f.message}</Typography>
              <Typography variant="caption" color="textSecondary">
                {f.check}
              </Typography>
            </TableCell>
            <TableCell>{f.fix}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
