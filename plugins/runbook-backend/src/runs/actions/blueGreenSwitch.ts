import { ConflictError } from '@backstage/errors';
import type { LiveState } from '@nexus-cos/plugin-runbook-node';
import type { Operation } from '../../kubernetes/operations';
import { otherColour } from '../../kubernetes/snapshot';
import type { ClusterPlanner } from './clusterChange';

function switchRefusal(live: LiveState) {
  if (!live.idle) {
    return `There is no ${otherColour(
      live.live.colour,
    )} Deployment to switch to; run blue-green-deploy first`;
  }
  if (
    live.idle.replicas === 0 ||
    live.idle.readyReplicas < live.idle.replicas
  ) {
    return `The ${live.idle.colour} colour is not ready (${live.idle.readyReplicas}/${live.idle.replicas} replicas ready); traffic stays on ${live.live.colour}`;
  }
  return undefined;
}

/** Points the Service at the idle colour and watches it; the undo points it back. */
export const blueGreenSwitch: ClusterPlanner<'blue-green-switch'> = {
  refusal: ({ live }) => live && switchRefusal(live),
  plan: (input, s, options) => {
    if (!s.idle)
      throw new ConflictError('There is no idle colour to switch to');
    const select = (colour: string): Operation => ({
      type: 'patch',
      kind: 'Service',
      name: s.target.service,
      strategy: 'merge',
      patch: { spec: { selector: { version: colour } } },
    });
    return {
      forward: [select(otherColour(s.liveColour))],
      undo: { operations: [select(s.liveColour)], waitFor: [] },
      convergence: {
        kind: 'hold',
        deployment: s.idle.metadata.name,
        holdSeconds: input.monitorSeconds ?? options.monitorSeconds,
      },
    };
  },
};
