import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import type { RunbookResolution } from '@nexus-cos/plugin-runbook-common';
import { useApprovalsLink } from '../../hooks/useApprovalsLink';
import { FreezeNotice } from '../approvals';
import { RunLink } from '../RunLink';

/**
 * What holds changes back on this service, said before the user fills a form: a change
 * freeze in force, and the one change that already waits for approval.
 */
export const RunbookNotices = (props: { resolution: RunbookResolution }) => {
  const { freeze, awaitingRunId } = props.resolution;
  const approvalsLink = useApprovalsLink();
  return (
    <>
      {freeze && (
        <Box mb={2}>
          <FreezeNotice freeze={freeze}>
            A change to this service now needs an emergency incident (an open P0
            or P1 of it, chosen when you confirm) and another person's approval.
            Reads such as diagnostics go on.
          </FreezeNotice>
        </Box>
      )}
      {awaitingRunId && (
        <Box mb={2}>
          <Alert severity="info" role="status">
            A change awaits approval (run <RunLink runId={awaitingRunId} />
            ): it must be decided or withdrawn before another can be requested.
            {approvalsLink && (
              <>
                {' '}
                <Link to={approvalsLink}>Open the Approvals page</Link>
              </>
            )}
          </Alert>
        </Box>
      )}
    </>
  );
};
