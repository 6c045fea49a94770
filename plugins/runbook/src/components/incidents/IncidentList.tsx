import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { Incident } from '@nexus-cos/plugin-runbook-common';
import { RelativeTime } from '../time';
import { openFirst } from './openFirst';
import { RespondBy } from './RespondBy';
import { SeverityChip } from './SeverityChip';

/**
 * Incidents, open ones first, each with severity, phase, age and response target; with
 * `showAffected`, also the entities each affects (for lists across services).
 */
export const IncidentList = (props: {
  incidents: Incident[];
  onSelect?: (id: string) => void;
  selectedId?: string;
  showAffected?: boolean;
}) => (
  <Table size="small" aria-label="Incidents">
    {/* Headings on one line: a narrow card squeezes the cells, not the words. */}
    <TableHead style={{ whiteSpace: 'nowrap' }}>
      <TableRow>
        <TableCell>Severity</TableCell>
        <TableCell>Incident</TableCell>
        {props.showAffected && <TableCell>Affected</TableCell>}
        <TableCell>Phase</TableCell>
        <TableCell>Detected</TableCell>
        <TableCell>Response</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {openFirst(props.incidents).map(incident => (
        <TableRow key={incident.id} selected={incident.id === props.selectedId}>
          <TableCell>
            <SeverityChip severity={incident.severity} />
          </TableCell>
          <TableCell>
            {props.onSelect ? (
              <Button
                size="small"
                onClick={() => props.onSelect?.(incident.id)}
                aria-pressed={incident.id === props.selectedId}
              >
                {incident.title}
              </Button>
            ) : (
              incident.title
            )}
          </TableCell>
          {props.showAffected && (
            <TableCell>
              <EntityRefLinks
                entityRefs={incident.entityRefs}
                defaultKind="component"
              />
            </TableCell>
          )}
          <TableCell>{incident.status}</TableCell>
          <TableCell>
            <RelativeTime iso={incident.detectedAt} />
          </TableCell>
          <TableCell>
            <RespondBy incident={incident} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
