import { InputError } from '@backstage/errors';
import { replaceTemplate } from './patches';
import { pausedRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** Puts back the pod template of an earlier revision's ReplicaSet. */
export const rollback: ClusterPlanner<'rollback'> = {
  refusal: ({ live }) => pausedRefusal(live),
  inputRefusal: (input, live) =>
    live && !live.revisions.includes(input.revision)
      ? `input.revision: ${live.live.deployment} has no revision ${
          input.revision
        }; it has ${live.revisions.join(', ') || 'none'}`
      : undefined,
  plan: (input, s) => {
    const name = s.live.metadata.name;
    const rs = s.revisions.get(input.revision);
    if (!rs) {
      throw new InputError(
        `input.revision: ${name} has no revision ${input.revision}`,
      );
    }
    const template = structuredClone(rs.spec?.template);
    delete template?.metadata?.labels?.['pod-template-hash'];
    return {
      forward: [replaceTemplate(name, template)],
      undo: {
        operations: [replaceTemplate(name, s.live.spec?.template)],
        waitFor: [name],
      },
      convergence: { kind: 'rollout', deployment: name },
    };
  },
};
