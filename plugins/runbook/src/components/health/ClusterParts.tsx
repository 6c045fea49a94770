import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ClusterHealth } from '@nexus-cos/plugin-runbook-common';
import { HealthStatusChip } from './HealthStatusChip';

/** Ready and desired replicas of one cluster's part, summed over its Deployments. */
function replicas(part: ClusterHealth): string | undefined {
  const deployments = part.workload?.deployments ?? [];
  if (!deployments.length) return undefined;
  const sum = (key: 'replicas' | 'readyReplicas') =>
    deployments.reduce((n, d) => n + d[key], 0);
  return `${sum('readyReplicas')}/${sum('replicas')} ready`;
}

/**
 * A service that runs in several clusters: its status in each, so that a cluster that
 * cannot be read shows as its own `unknown` part. Nothing with one cluster.
 */
export const ClusterParts = (props: { parts?: ClusterHealth[] }) => {
  const { parts } = props;
  if (!parts || parts.length < 2) return null;
  return (
    <Box
      component="ul"
      aria-label="Clusters"
      pl={0}
      my={1}
      style={{ listStyle: 'none' }}
    >
      {parts.map(part => {
        const count = replicas(part);
        return (
          <li key={part.cluster}>
            <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
              <Typography variant="body2" component="span">
                <strong>{part.cluster}</strong>
              </Typography>
              <HealthStatusChip status={part.status} />
              {count && (
                <Typography variant="body2" component="span">
                  {count}
                </Typography>
              )}
            </Box>
          </li>
        );
      })}
    </Box>
  );
};
