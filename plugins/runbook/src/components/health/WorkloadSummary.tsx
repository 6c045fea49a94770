import Typography from '@material-ui/core/Typography';
import type {
  RunbookResolution,
  WorkloadState,
} from '@nexus-cos/plugin-runbook-common';

type Live = RunbookResolution['live'];

/**
 * Replicas ready/desired of each Deployment, which colour the Service sends traffic to,
 * and where the rollout stands.
 */
export const WorkloadSummary = (props: {
  workload?: WorkloadState;
  live?: Live;
}) => {
  const { workload, live } = props;
  // No workload means the cluster was not read (see the reasons), not that it is empty.
  if (!workload) {
    return (
      <Typography variant="body2">
        Workload unknown: the cluster was not read.
      </Typography>
    );
  }
  if (workload.deployments.length === 0) {
    return (
      <Typography variant="body2">
        No Deployment found in the cluster for this service.
      </Typography>
    );
  }
  return (
    <dl aria-label="Workload">
      {live && (
        <>
          <Typography component="dt" variant="overline">
            Live colour
          </Typography>
          <Typography component="dd" variant="body2">
            {live.colour} ({live.deployment})
          </Typography>
        </>
      )}
      {workload.deployments.map(d => (
        <div key={d.name}>
          <Typography component="dt" variant="overline">
            {d.name}
          </Typography>
          <Typography component="dd" variant="body2">
            {d.readyReplicas}/{d.replicas} ready, {d.updatedReplicas} updated,{' '}
            {d.availableReplicas} available
            {d.progressing && `; rollout: ${d.progressing}`}
          </Typography>
        </div>
      ))}
      {workload.hpa && (
        <>
          <Typography component="dt" variant="overline">
            Autoscaler
          </Typography>
          <Typography component="dd" variant="body2">
            {workload.hpa.name}: {workload.hpa.minReplicas ?? 1}–
            {workload.hpa.maxReplicas} replicas
          </Typography>
        </>
      )}
    </dl>
  );
};
