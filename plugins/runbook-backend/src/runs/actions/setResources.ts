import { mainContainer } from '../../kubernetes/snapshot';
import { containerPatch, replaceTemplate } from './patches';
import { pausedRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** `kubectl set resources` on the service's container. */
export const setResources: ClusterPlanner<'set-resources'> = {
  refusal: ({ live }) => pausedRefusal(live),
  plan: (input, s) => {
    const name = s.live.metadata.name;
    const container = mainContainer(s.live, s.target.service);
    const resources: Record<string, unknown> = {};
    if (input.requests) resources.requests = input.requests;
    if (input.limits) resources.limits = input.limits;
    return {
      forward: [containerPatch(name, { name: container?.name, resources })],
      undo: {
        operations: [replaceTemplate(name, s.live.spec?.template)],
        waitFor: [name],
      },
      convergence: { kind: 'rollout', deployment: name },
      before: { resources: container?.resources ?? {} },
    };
  },
};
