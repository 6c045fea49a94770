import type { V1Deployment } from '@kubernetes/client-node';
import {
  colourState,
  deploymentName,
  mainContainer,
  otherColour,
} from '../../kubernetes/snapshot';
import { portable } from './patches';
import type { ClusterPlanner } from './clusterChange';

/** Creates or updates the idle colour's Deployment: the live one's copy on a new image. */
export const blueGreenDeploy: ClusterPlanner<'blue-green-deploy'> = {
  plan: (input, s) => {
    const svc = s.target.service;
    const live = s.live;
    const idleColour = otherColour(s.liveColour);
    const idleName = deploymentName(svc, idleColour);
    const spec = structuredClone(live.spec!);
    const labels: Record<string, string> = {
      ...spec.template.metadata?.labels,
      version: idleColour,
    };
    delete labels['pod-template-hash'];
    const body: V1Deployment = {
      ...portable(live),
      metadata: {
        name: idleName,
        labels: { ...live.metadata.labels, version: idleColour },
      },
      spec: {
        ...spec,
        replicas: Math.max(live.spec?.replicas ?? 1, 1),
        selector: {
          matchLabels: {
            ...live.spec?.selector?.matchLabels,
            version: idleColour,
          },
        },
        template: {
          ...spec.template,
          metadata: { ...spec.template.metadata, labels },
        },
      },
    };
    const container = mainContainer(body, svc);
    if (container) container.image = input.image;
    return {
      forward: [{ type: 'replace', kind: 'Deployment', name: idleName, body }],
      undo: {
        operations: [
          s.idle
            ? {
                type: 'replace',
                kind: 'Deployment',
                name: idleName,
                body: portable(s.idle),
              }
            : { type: 'delete', kind: 'Deployment', name: idleName },
        ],
        waitFor: [],
      },
      convergence: { kind: 'rollout', deployment: idleName },
      before: { idle: s.idle ? colourState(s.idle, idleColour, svc) : null },
    };
  },
};
