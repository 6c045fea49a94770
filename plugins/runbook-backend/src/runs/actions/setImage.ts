import { mainContainer } from '../../kubernetes/snapshot';
import { containerPatch, replaceTemplate } from './patches';
import { pausedRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** Rolling update of the service's container, watched for the health window. */
export const setImage: ClusterPlanner<'set-image'> = {
  refusal: ({ live }) => pausedRefusal(live),
  plan: (input, s, options) => {
    const name = s.live.metadata.name;
    return {
      forward: [
        containerPatch(name, {
          name: mainContainer(s.live, s.target.service)?.name,
          image: input.image,
        }),
      ],
      undo: {
        operations: [replaceTemplate(name, s.live.spec?.template)],
        waitFor: [name],
      },
      convergence: {
        kind: 'rollout',
        deployment: name,
        holdSeconds: input.healthWindowSeconds ?? options.healthWindowSeconds,
        analyze: true,
      },
    };
  },
};
