import { InputError } from '@backstage/errors';
import type { ClusterPlanner } from './clusterChange';

/** Deletes one pod of the service; its Deployment replaces it, so there is no undo. */
export const deletePod: ClusterPlanner<'delete-pod'> = {
  inputRefusal: (input, live) =>
    live && !live.pods.includes(input.pod)
      ? `input.pod: ${input.pod} is not a pod of ${live.live.deployment}`
      : undefined,
  plan: (input, s) => {
    if (!s.pods.includes(input.pod)) {
      throw new InputError(
        `input.pod: ${input.pod} is not a pod of ${s.target.service}`,
      );
    }
    return {
      forward: [{ type: 'delete', kind: 'Pod', name: input.pod }],
      undo: null,
      convergence: { kind: 'rollout', deployment: s.live.metadata.name },
      before: { pod: input.pod },
    };
  },
};
