import { scalePatch } from './patches';
import { autoscaledRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** `kubectl scale`; undone by scaling back. */
export const scale: ClusterPlanner<'scale'> = {
  refusal: ({ live }) => autoscaledRefusal(live),
  plan: (input, s) => ({
    forward: [scalePatch(s.live.metadata.name, input.replicas, null)],
    undo: {
      operations: [
        scalePatch(s.live.metadata.name, s.live.spec?.replicas ?? 1, null),
      ],
      waitFor: [s.live.metadata.name],
    },
    convergence: { kind: 'rollout', deployment: s.live.metadata.name },
  }),
};
