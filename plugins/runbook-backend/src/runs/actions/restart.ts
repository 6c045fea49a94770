import { replaceTemplate } from './patches';
import { pausedRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `kubectl rollout restart`: a new template annotation makes every pod new. */
export const restart: ClusterPlanner<'restart'> = {
  refusal: ({ live }) => pausedRefusal(live),
  plan: (_input, s, options) => {
    const name = s.live.metadata.name;
    return {
      forward: [
        {
          type: 'patch',
          kind: 'Deployment',
          name,
          strategy: 'strategic',
          patch: {
            spec: {
              template: {
                metadata: {
                  annotations: { [RESTARTED_AT]: options.now.toISOString() },
                },
              },
            },
          },
        },
      ],
      undo: {
        operations: [replaceTemplate(name, s.live.spec?.template)],
        waitFor: [name],
      },
      convergence: { kind: 'rollout', deployment: name },
    };
  },
};
