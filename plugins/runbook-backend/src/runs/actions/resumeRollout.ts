import { pausePatch } from './patches';
import type { ClusterPlanner } from './clusterChange';

/** Clears `spec.paused` and waits for the rollout it lets go on. */
export const resumeRollout: ClusterPlanner<'resume-rollout'> = {
  refusal: ({ live }) =>
    live && !live.paused
      ? `The rollout of ${live.live.deployment} is not paused`
      : undefined,
  plan: (_input, s) => {
    const name = s.live.metadata.name;
    return {
      forward: [pausePatch(name, false)],
      undo: { operations: [pausePatch(name, true)], waitFor: [] },
      convergence: { kind: 'rollout', deployment: name },
      before: { paused: true },
    };
  },
};
