import { scalePatch } from './patches';
import { autoscaledRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** Scale to zero, remembering the count on the Deployment for `start`; never a delete. */
export const stop: ClusterPlanner<'stop'> = {
  refusal: ({ live }) =>
    autoscaledRefusal(live) ??
    (live?.live.replicas === 0
      ? `${live.live.deployment} is already stopped`
      : undefined),
  plan: (_input, s) => {
    const name = s.live.metadata.name;
    const replicas = s.live.spec?.replicas ?? 1;
    return {
      forward: [scalePatch(name, 0, replicas)],
      undo: {
        operations: [scalePatch(name, replicas, null)],
        waitFor: [name],
      },
      convergence: { kind: 'rollout', deployment: name },
    };
  },
};
