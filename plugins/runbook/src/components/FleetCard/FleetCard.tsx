import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import type { FleetAction, FleetRun } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { RunStatus } from '../RunStatus';
import { RelativeTime } from '../time';
import { FleetAwaitingNotice } from './FleetAwaitingNotice';
import { FLEET_COPY } from './fleetCopy';
import { FleetDialog } from './FleetDialog';

const HISTORY = 5;

const History = (props: {
  items: FleetRun[];
  onOpen: (fleet: FleetRun) => void;
}) =>
  props.items.length === 0 ? (
    <Typography variant="body2">No fleet runs yet.</Typography>
  ) : (
    <Table size="small" aria-label="Recent fleet runs">
      <TableBody>
        {props.items.map(fleet => (
          <TableRow key={fleet.id}>
            <TableCell>{FLEET_COPY[fleet.action].title}</TableCell>
            <TableCell>
              <RunStatus status={fleet.status} />
            </TableCell>
            <TableCell>{parseEntityRef(fleet.actor).name}</TableCell>
            <TableCell>
              <RelativeTime iso={fleet.createdAt} />
            </TableCell>
            <TableCell>
              <Button
                size="small"
                onClick={() => props.onOpen(fleet)}
                aria-label={`Details of ${FLEET_COPY[fleet.action].title} ${
                  fleet.id
                }`}
              >
                Details
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );

/**
 * Start, stop or diagnose every service of a System or the Domain in dependency order: a
 * preview of the plan first, then live progress per service; and the recent fleet runs,
 * those awaiting approval said first with whom they await.
 */
export const FleetCard = (props: { pollMs?: number }) => {
  const { entity } = useEntity();
  const scope = stringifyEntityRef(entity);
  const api = useApi(runbookApiRef);
  const history = useLoader(
    () => api.listFleetRuns({ scope, limit: HISTORY }),
    [api, scope],
  );
  const [open, setOpen] = useState<{ action: FleetAction; fleetId?: string }>();
  const close = () => {
    setOpen(undefined);
    history.reload();
  };
  return (
    <InfoCard title="Fleet">
      <Typography variant="body2" paragraph>
        Start, stop or diagnose every service of this {entity.kind} in the order
        of their dependencies.
      </Typography>
      <Box display="flex" style={{ gap: 8 }} mb={2}>
        {(['start-all', 'stop-all', 'diagnostics'] as const).map(action => (
          <Button
            key={action}
            variant="outlined"
            color="primary"
            onClick={() => setOpen({ action })}
          >
            {FLEET_COPY[action].title}
          </Button>
        ))}
      </Box>
      {history.error && <ResponseErrorPanel error={history.error} />}
      {!history.error && !history.value && (
        <Skeleton variant="rect" height={80} aria-label="Loading fleet runs" />
      )}
      {history.value?.items
        .filter(fleet => fleet.status === 'awaiting-approval')
        .map(fleet => (
          <FleetAwaitingNotice
            key={fleet.id}
            fleet={fleet}
            onOpen={() => setOpen({ action: fleet.action, fleetId: fleet.id })}
          />
        ))}
      {history.value && (
        <History
          items={history.value.items}
          onOpen={fleet => setOpen({ action: fleet.action, fleetId: fleet.id })}
        />
      )}
      {open && (
        <FleetDialog
          scope={scope}
          action={open.action}
          fleetId={open.fleetId}
          onClose={close}
          pollMs={props.pollMs}
        />
      )}
    </InfoCard>
  );
};
