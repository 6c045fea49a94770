import { StructuredMetadataTable } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { RunbookResolution } from '@nexus-cos/plugin-runbook-common';

/** What the actions act on: the live colour's Deployment as the engine last read it. */
export const LiveState = (props: { runbook: RunbookResolution }) => {
  const { live, liveError, cluster, namespace } = props.runbook;
  if (!live) {
    return (
      <Typography variant="body2" color="error">
        Live state unavailable: {liveError ?? 'the engine did not report it'}
      </Typography>
    );
  }
  return (
    <StructuredMetadataTable
      metadata={{
        Cluster: `${cluster}/${namespace}`,
        'Live colour': live.colour,
        Deployment: live.deployment,
        Replicas: `${live.readyReplicas}/${live.replicas} ready`,
        Image: live.image ?? 'unknown',
        Autoscaled: live.autoscaled ? 'yes' : 'no',
      }}
    />
  );
};
