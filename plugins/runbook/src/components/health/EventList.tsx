import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import type { ClusterAuth } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useClusterToken } from '../../hooks/useClusterToken';
import { useLoader } from '../../hooks/useLoader';
import { RelativeTime } from '../time';

const EVENT_LIMIT = 20;

/**
 * The service's most recent Kubernetes events, newest first. `clusterAuth` comes from the
 * service's health: its cluster is then read with the user's token.
 */
export const EventList = (props: {
  entityRef: string;
  clusterAuth?: ClusterAuth;
}) => {
  const api = useApi(runbookApiRef);
  const tokenFor = useClusterToken();
  const { entityRef } = props;
  const authProvider = props.clusterAuth?.authProvider;
  const events = useLoader(
    async () =>
      api.getEvents(entityRef, {
        limit: EVENT_LIMIT,
        clusterToken: await tokenFor(authProvider),
      }),
    [api, entityRef, tokenFor, authProvider],
  );
  if (events.error) return <ResponseErrorPanel error={events.error} />;
  if (!events.value) {
    return <Skeleton variant="rect" height={200} aria-label="Loading events" />;
  }
  if (events.value.items.length === 0) {
    return <Typography variant="body2">No recent events.</Typography>;
  }
  return (
    <Table size="small" aria-label="Events">
      <TableHead>
        <TableRow>
          <TableCell>Type</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Object</TableCell>
          <TableCell>Message</TableCell>
          <TableCell align="right">Count</TableCell>
          <TableCell>Last seen</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {events.value.items.map(e => (
          <TableRow
            key={`${e.cluster ?? ''}:${e.object}:${e.reason}:${e.lastSeen}`}
          >
            <TableCell>{e.type}</TableCell>
            <TableCell>{e.reason}</TableCell>
            {/* A service in several clusters: where it happened. */}
            <TableCell>
              {e.cluster ? `${e.cluster}: ${e.object}` : e.object}
            </TableCell>
            <TableCell>{e.message}</TableCell>
            <TableCell align="right">{e.count}</TableCell>
            <TableCell>
              <RelativeTime iso={e.lastSeen} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
