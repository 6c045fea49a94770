import { pausePatch } from './patches';
import type { ClusterPlanner } from './clusterChange';

/** Sets `spec.paused`; a rollout in progress stops where it is. */
export const pauseRollout: ClusterPlanner<'pause-rollout'> = {
  refusal: ({ live }) =>
    live?.paused
      ? `The rollout of ${live.live.deployment} is already paused`
      : undefined,
  plan: (_input, s) => {
    const name = s.live.metadata.name;
    return {
      forward: [pausePatch(name, true)],
      undo: { operations: [pausePatch(name, false)], waitFor: [] },
      convergence: { kind: 'none' },
      before: { paused: false },
    };
  },
};
