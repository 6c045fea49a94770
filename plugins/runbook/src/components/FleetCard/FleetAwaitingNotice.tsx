import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import { useApprovalsLink } from '../../hooks/useApprovalsLink';
import { awaitingText } from '../approvals';
import { FLEET_COPY } from './fleetCopy';

/**
 * A fleet run of this System or Domain that awaits approval, said above the history: who
 * asked, whom it awaits (the engine's words) and until when, with its details and the
 * Approvals page, where it is decided. Nothing runs until then.
 */
export const FleetAwaitingNotice = (props: {
  fleet: FleetRun;
  onOpen: () => void;
}) => {
  const { fleet, onOpen } = props;
  const approvalsLink = useApprovalsLink();
  const title = FLEET_COPY[fleet.action].title;
  if (!fleet.approval) return null;
  return (
    <Box mb={2}>
      <Alert
        severity="info"
        role="status"
        aria-label={`${title} ${fleet.id} awaits approval`}
        action={
          <Button
            size="small"
            onClick={onOpen}
            aria-label={`Details of ${title} ${fleet.id} awaiting approval`}
          >
            Details
          </Button>
        }
      >
        {title} by {parseEntityRef(fleet.actor).name} is{' '}
        {awaitingText(fleet.approval)}; no service changes until then.
        {approvalsLink && (
          <>
            {' '}
            <Link to={approvalsLink}>Open the Approvals page</Link>
          </>
        )}
      </Alert>
    </Box>
  );
};
