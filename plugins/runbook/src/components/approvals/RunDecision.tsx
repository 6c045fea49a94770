import { useApi } from '@backstage/frontend-plugin-api';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../../api';
import { useLoader } from '../../hooks/useLoader';
import { DecisionButtons } from './DecisionButtons';

/**
 * Approve and Reject on a waiting run's own page, offered only when the server lists the
 * run among those the signed-in user may decide (never the requester's own).
 */
export const RunDecision = (props: { run: Run; onDecided: () => void }) => {
  const { run, onDecided } = props;
  const api = useApi(runbookApiRef);
  const decidable = useLoader(() => api.listApprovals(), [api]);
  if (!decidable.value?.items.some(r => r.id === run.id)) return null;
  return (
    <DecisionButtons run={run} onDecided={onDecided} onFailed={onDecided} />
  );
};
