import { ConflictError } from '@backstage/errors';
import { STOPPED_REPLICAS_ANNOTATION } from '../../kubernetes/snapshot';
import { scalePatch } from './patches';
import { autoscaledRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/** Restores the count that `stop` remembered. */
export const start: ClusterPlanner<'start'> = {
  refusal: ({ live }) =>
    autoscaledRefusal(live) ??
    (live && live.stoppedReplicas === undefined
      ? `${live.live.deployment} was not stopped by the runbook, so there is no replica count to restore; use scale`
      : undefined),
  plan: (_input, s) => {
    const name = s.live.metadata.name;
    const remembered = Number(
      s.live.metadata.annotations?.[STOPPED_REPLICAS_ANNOTATION],
    );
    if (!Number.isInteger(remembered)) {
      throw new ConflictError(`${name} was not stopped by the runbook`);
    }
    return {
      forward: [scalePatch(name, remembered, null)],
      undo: {
        operations: [scalePatch(name, 0, remembered)],
        waitFor: [name],
      },
      convergence: { kind: 'rollout', deployment: name },
    };
  },
};
