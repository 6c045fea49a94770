import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { Operation } from '../../kubernetes/operations';
import {
  Snapshot,
  colourState,
  deploymentName,
  mainContainer,
  otherColour,
  previewServiceName,
} from '../../kubernetes/snapshot';
import { portable } from './patches';
import type { ClusterPlanner } from './clusterChange';

/**
 * `<svc>-preview`: the live Service's ports and labels, selecting the idle colour, so the
 * new colour gets probe traffic to be analysed on before any switch.
 */
function previewService(s: Snapshot, colour: string): V1Service {
  const name = previewServiceName(s.target.service);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: s.service?.metadata?.labels },
    spec: {
      selector: { ...s.service?.spec?.selector, version: colour },
      ports: s.service?.spec?.ports?.map(p => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol,
      })),
    },
  };
}

/**
 * Creates or updates the idle colour's Deployment (the live one's copy on a new image)
 * and the preview Service that selects it; with metrics, the new colour is analysed on
 * the preview's traffic before it counts as ready.
 */
export const blueGreenDeploy: ClusterPlanner<'blue-green-deploy'> = {
  plan: (input, s, options) => {
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
    const previewName = previewServiceName(svc);
    const restorePreview: Operation = s.preview
      ? {
          type: 'replace',
          kind: 'Service',
          name: previewName,
          body: { ...s.preview, status: undefined },
        }
      : { type: 'delete', kind: 'Service', name: previewName };
    const preview: Operation[] = s.service
      ? [
          {
            type: 'replace',
            kind: 'Service',
            name: previewName,
            body: previewService(s, idleColour),
          },
        ]
      : [];
    return {
      forward: [
        { type: 'replace', kind: 'Deployment', name: idleName, body },
        ...preview,
      ],
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
          ...(preview.length ? [restorePreview] : []),
        ],
        waitFor: [],
      },
      convergence: {
        kind: 'rollout',
        deployment: idleName,
        holdSeconds: options.previewSeconds,
        analyze: true,
      },
      before: { idle: s.idle ? colourState(s.idle, idleColour, svc) : null },
    };
  },
};
