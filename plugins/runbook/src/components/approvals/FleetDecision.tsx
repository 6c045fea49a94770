import { useApi } from '@backstage/frontend-plugin-api';
import type { FleetRun } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { FleetDecisionButtons } from './DecisionButtons';

/**
 * Approve and Reject on a waiting fleet run's progress, offered only when the server lists
 * it among the fleet runs the signed-in user may decide (never the requester's own).
 */
export const FleetDecision = (props: {
  fleet: FleetRun;
  onDecided: () => void;
}) => {
  const { fleet, onDecided } = props;
  const api = useApi(runbookApiRef);
  const decidable = useLoader(() => api.listApprovals(), [api]);
  if (!decidable.value?.fleet.some(f => f.id === fleet.id)) return null;
  return (
    <FleetDecisionButtons
      fleet={fleet}
      onDecided={onDecided}
      onFailed={onDecided}
    />
  );
};
