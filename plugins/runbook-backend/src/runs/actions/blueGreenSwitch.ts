import { ConflictError } from '@backstage/errors';
import type { LiveState } from '@nexus-cos/plugin-runbook-node';
import type { Operation } from '../../kubernetes/operations';
import { otherColour, previewServiceName } from '../../kubernetes/snapshot';
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
    const select = (name: string, colour: string): Operation => ({
      type: 'patch',
      kind: 'Service',
      name,
      strategy: 'merge',
      patch: { spec: { selector: { version: colour } } },
    });
    const idle = otherColour(s.liveColour);
    const service = s.target.service;
    // The preview Service follows: it keeps probing the colour that is now idle.
    const preview = s.preview ? previewServiceName(service) : undefined;
    return {
      forward: [
        select(service, idle),
        ...(preview ? [select(preview, s.liveColour)] : []),
      ],
      undo: {
        operations: [
          select(service, s.liveColour),
          ...(preview ? [select(preview, idle)] : []),
        ],
        waitFor: [],
      },
      convergence: {
        kind: 'hold',
        deployment: s.idle.metadata.name,
        holdSeconds: input.monitorSeconds ?? options.monitorSeconds,
        analyze: true,
      },
    };
  },
};
