import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ServiceHealth } from '@nexus-cos/plugin-runbook-common';
import { useLiveState } from '../../hooks/useLiveState';
import { RelativeTime } from '../time';
import { ClusterParts } from './ClusterParts';
import { HealthReasons } from './HealthReasons';
import { HealthStatusChip } from './HealthStatusChip';
import { WorkloadSummary } from './WorkloadSummary';

/**
 * Status, reasons (with the runbook checklist and an incident shortcut when not healthy),
 * replicas, live colour and rollout: the part of health that card and tab share.
 */
export const HealthSummary = (props: { health: ServiceHealth }) => {
  const { health } = props;
  const live = useLiveState(health.entityRef);
  const liveProblem = live.error?.message ?? live.value?.liveError;
  return (
    <>
      <Box display="flex" alignItems="baseline" justifyContent="space-between">
        <Typography variant="h6" component="p">
          <HealthStatusChip status={health.status} />
        </Typography>
        {health.observedAt && (
          <Typography variant="caption">
            observed <RelativeTime iso={health.observedAt} />
          </Typography>
        )}
      </Box>
      <ClusterParts parts={health.clusters} />
      <HealthReasons
        entityRef={health.entityRef}
        reasons={health.reasons}
        checklists={health.status !== 'healthy'}
      />
      <WorkloadSummary workload={health.workload} live={live.value?.live} />
      {liveProblem && (
        <Typography variant="body2" color="error">
          Live colour unknown: {liveProblem}
        </Typography>
      )}
      {health.metrics.unavailable && (
        <Typography variant="body2">{health.metrics.unavailable}</Typography>
      )}
    </>
  );
};
