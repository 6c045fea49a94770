import { useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import type {
  ClusterAuth,
  ServiceLogTail,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useClusterToken } from '../../hooks/useClusterToken';
import { useLoader } from '../../hooks/useLoader';

const TAIL_LINES = 200;
const LOG_HEIGHT = 320;

const emptyText = (tail: ServiceLogTail) =>
  tail.errorsOnly ? 'No ERROR lines in the tail.' : 'The log is empty.';

/**
 * The tail of one pod's log, like `kubectl logs --tail`; the switch keeps only `ERROR`
 * lines, as the runbook's daily check greps for them. `clusterAuth` comes from the
 * service's health: its cluster is then read with the user's token.
 */
export const LogTail = (props: {
  entityRef: string;
  clusterAuth?: ClusterAuth;
}) => {
  const api = useApi(runbookApiRef);
  const tokenFor = useClusterToken();
  const { entityRef } = props;
  const authProvider = props.clusterAuth?.authProvider;
  const [errorsOnly, setErrorsOnly] = useState(false);
  const logs = useLoader(
    async () =>
      api.getLogs(entityRef, {
        tail: TAIL_LINES,
        errorsOnly,
        clusterToken: await tokenFor(authProvider),
      }),
    [api, entityRef, errorsOnly, tokenFor, authProvider],
  );
  const tail = logs.value;
  return (
    <>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="body2">
          {tail ? `Pod ${tail.pod}` : '\u00a0'}
        </Typography>
        <FormControlLabel
          control={
            <Switch
              checked={errorsOnly}
              onChange={e => setErrorsOnly(e.target.checked)}
            />
          }
          label="Only ERROR lines"
        />
      </Box>
      {logs.error && <ResponseErrorPanel error={logs.error} />}
      {!logs.error && !tail && (
        <Skeleton
          variant="rect"
          height={LOG_HEIGHT}
          aria-label="Loading logs"
        />
      )}
      {!logs.error && tail && (
        <Box
          component="pre"
          aria-label={`Log of ${tail.pod}`}
          height={LOG_HEIGHT}
          overflow="auto"
          m={0}
          p={1}
          fontSize="0.8rem"
          bgcolor="background.default"
        >
          {tail.lines.length ? tail.lines.join('\n') : emptyText(tail)}
        </Box>
      )}
    </>
  );
};
