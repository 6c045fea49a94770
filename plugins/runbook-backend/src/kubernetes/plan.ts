import type { ExecutorRequest } from '@nexus-cos/plugin-runbook-node';
import { ConflictError, InputError } from '@backstage/errors';
import type { Operation } from './operations';
import {
  Snapshot,
  STOPPED_REPLICAS_ANNOTATION,
  colourState,
  deploymentName,
  mainContainer,
  otherColour,
} from './snapshot';

/** How the executor knows that a change took. */
export type Convergence =
  | { kind: 'rollout'; deployment: string; holdSeconds?: number }
  | { kind: 'hold'; deployment: string; holdSeconds: number }
  | { kind: 'none' };

/** A change, its undo and how to wait for it; the undo part is stored with the run. */
export type Plan = {
  forward: Operation[];
  undo: { operations: Operation[]; waitFor: string[] } | null;
  convergence: Convergence;
  before: Record<string, unknown>;
};

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** A Deployment body fit for create or replace: no server-owned fields. */
function portable(deployment: any): Record<string, any> {
  const annotations = { ...deployment.metadata?.annotations };
  delete annotations['deployment.kubernetes.io/revision'];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deployment.metadata.name,
      labels: deployment.metadata.labels,
      annotations,
    },
    spec: deployment.spec,
  };
}

const replaceTemplate = (name: string, template: unknown): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'json',
  patch: [{ op: 'replace', path: '/spec/template', value: template }],
});

const containerPatch = (
  name: string,
  container: Record<string, unknown>,
): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'strategic',
  patch: { spec: { template: { spec: { containers: [container] } } } },
});

const scalePatch = (
  name: string,
  replicas: number,
  stoppedAt: number | null,
): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'merge',
  patch: {
    metadata: {
      annotations: {
        [STOPPED_REPLICAS_ANNOTATION]:
          stoppedAt === null ? null : String(stoppedAt),
      },
    },
    spec: { replicas },
  },
});

function hpaBody(
  s: Snapshot,
  name: string,
  input: {
    minReplicas: number;
    maxReplicas: number;
    targetCPUUtilizationPercentage: number;
  },
) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      labels: {
        app: s.target.service,
        'backstage.io/kubernetes-id': s.target.service,
      },
    },
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: s.live.metadata.name,
      },
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: input.targetCPUUtilizationPercentage,
            },
          },
        },
      ],
    },
  };
}

/** Turns a request and the live objects into operations, their undo and a wait. */
export function planChange(
  request: ExecutorRequest,
  s: Snapshot,
  options: { healthWindowSeconds: number; monitorSeconds: number; now: Date },
): Plan {
  const svc = s.target.service;
  const live = s.live;
  const liveName: string = live.metadata.name;
  const replicas: number = live.spec?.replicas ?? 1;
  const container = mainContainer(live, svc);
  const before = {
    ...colourState(live, s.liveColour, svc),
    ...(s.hpa
      ? {
          autoscaler: {
            min: s.hpa.spec.minReplicas,
            max: s.hpa.spec.maxReplicas,
          },
        }
      : {}),
  };
  const restoreTemplate = {
    operations: [replaceTemplate(liveName, live.spec.template)],
    waitFor: [liveName],
  };

  switch (request.action) {
    case 'scale':
      return {
        forward: [scalePatch(liveName, request.input.replicas, null)],
        undo: {
          operations: [scalePatch(liveName, replicas, null)],
          waitFor: [liveName],
        },
        convergence: { kind: 'rollout', deployment: liveName },
        before,
      };
    case 'stop':
      return {
        forward: [scalePatch(liveName, 0, replicas)],
        undo: {
          operations: [scalePatch(liveName, replicas, null)],
          waitFor: [liveName],
        },
        convergence: { kind: 'rollout', deployment: liveName },
        before,
      };
    case 'start': {
      const remembered = Number(
        live.metadata?.annotations?.[STOPPED_REPLICAS_ANNOTATION],
      );
      if (!Number.isInteger(remembered)) {
        throw new ConflictError(`${liveName} was not stopped by the runbook`);
      }
      return {
        forward: [scalePatch(liveName, remembered, null)],
        undo: {
          operations: [scalePatch(liveName, 0, remembered)],
          waitFor: [liveName],
        },
        convergence: { kind: 'rollout', deployment: liveName },
        before,
      };
    }
    case 'restart':
      return {
        forward: [
          {
            type: 'patch',
            kind: 'Deployment',
            name: liveName,
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
        undo: restoreTemplate,
        convergence: { kind: 'rollout', deployment: liveName },
        before,
      };
    case 'set-image':
      return {
        forward: [
          containerPatch(liveName, {
            name: container.name,
            image: request.input.image,
          }),
        ],
        undo: restoreTemplate,
        convergence: {
          kind: 'rollout',
          deployment: liveName,
          holdSeconds:
            request.input.healthWindowSeconds ?? options.healthWindowSeconds,
        },
        before,
      };
    case 'rollback': {
      const rs = s.revisions.get(request.input.revision);
      if (!rs) {
        throw new InputError(
          `input.revision: ${liveName} has no revision ${request.input.revision}`,
        );
      }
      const template = structuredClone(rs.spec.template);
      delete template.metadata?.labels?.['pod-template-hash'];
      return {
        forward: [replaceTemplate(liveName, template)],
        undo: restoreTemplate,
        convergence: { kind: 'rollout', deployment: liveName },
        before,
      };
    }
    case 'set-resources': {
      const resources: Record<string, unknown> = {};
      if (request.input.requests) resources.requests = request.input.requests;
      if (request.input.limits) resources.limits = request.input.limits;
      return {
        forward: [
          containerPatch(liveName, { name: container.name, resources }),
        ],
        undo: restoreTemplate,
        convergence: { kind: 'rollout', deployment: liveName },
        before: { ...before, resources: container.resources ?? {} },
      };
    }
    case 'configure-autoscaling': {
      const name = s.hpa?.metadata?.name ?? `${svc}-hpa`;
      const previous = s.hpa && {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, labels: s.hpa.metadata.labels },
        spec: s.hpa.spec,
      };
      const restore: Operation = previous
        ? {
            type: 'replace',
            kind: 'HorizontalPodAutoscaler',
            name,
            body: previous,
          }
        : { type: 'delete', kind: 'HorizontalPodAutoscaler', name };
      if (!request.input.enabled) {
        if (!s.hpa)
          throw new ConflictError(
            `No HorizontalPodAutoscaler manages ${liveName}`,
          );
        return {
          forward: [{ type: 'delete', kind: 'HorizontalPodAutoscaler', name }],
          undo: { operations: [restore], waitFor: [] },
          convergence: { kind: 'none' },
          before,
        };
      }
      return {
        forward: [
          {
            type: 'replace',
            kind: 'HorizontalPodAutoscaler',
            name,
            body: hpaBody(s, name, request.input),
          },
        ],
        undo: { operations: [restore], waitFor: [] },
        convergence: { kind: 'none' },
        before,
      };
    }
    case 'blue-green-deploy': {
      const idleColour = otherColour(s.liveColour);
      const idleName = deploymentName(svc, idleColour);
      const body = portable(live);
      body.metadata = {
        name: idleName,
        labels: { ...live.metadata.labels, version: idleColour },
      };
      body.spec = structuredClone(live.spec);
      body.spec.replicas = Math.max(replicas, 1);
      body.spec.selector = {
        matchLabels: {
          ...live.spec.selector?.matchLabels,
          version: idleColour,
        },
      };
      body.spec.template.metadata = {
        ...body.spec.template.metadata,
        labels: { ...live.spec.template.metadata?.labels, version: idleColour },
      };
      body.spec.template.metadata.labels = {
        ...body.spec.template.metadata.labels,
        version: idleColour,
      };
      delete body.spec.template.metadata.labels['pod-template-hash'];
      mainContainer(body, svc).image = request.input.image;
      return {
        forward: [
          { type: 'replace', kind: 'Deployment', name: idleName, body },
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
          ],
          waitFor: [],
        },
        convergence: { kind: 'rollout', deployment: idleName },
        before: {
          ...before,
          idle: s.idle ? colourState(s.idle, idleColour, svc) : null,
        },
      };
    }
    case 'blue-green-switch': {
      if (!s.idle)
        throw new ConflictError('There is no idle colour to switch to');
      const idleColour = otherColour(s.liveColour);
      const select = (colour: string): Operation => ({
        type: 'patch',
        kind: 'Service',
        name: svc,
        strategy: 'merge',
        patch: { spec: { selector: { version: colour } } },
      });
      return {
        forward: [select(idleColour)],
        undo: { operations: [select(s.liveColour)], waitFor: [] },
        convergence: {
          kind: 'hold',
          deployment: s.idle.metadata.name,
          holdSeconds: request.input.monitorSeconds ?? options.monitorSeconds,
        },
        before,
      };
    }
    case 'blue-green-decommission': {
      if (!s.idle)
        throw new ConflictError('There is no idle colour to decommission');
      const idleName = s.idle.metadata.name;
      return {
        forward: [{ type: 'delete', kind: 'Deployment', name: idleName }],
        undo: {
          operations: [
            {
              type: 'create',
              kind: 'Deployment',
              name: idleName,
              body: portable(s.idle),
            },
          ],
          waitFor: [],
        },
        convergence: { kind: 'none' },
        before: {
          ...before,
          idle: colourState(s.idle, otherColour(s.liveColour), svc),
        },
      };
    }
    case 'delete-pod':
      if (!s.pods.includes(request.input.pod)) {
        throw new InputError(
          `input.pod: ${request.input.pod} is not a pod of ${svc}`,
        );
      }
      return {
        forward: [{ type: 'delete', kind: 'Pod', name: request.input.pod }],
        undo: null,
        convergence: { kind: 'rollout', deployment: liveName },
        before: { ...before, pod: request.input.pod },
      };
    default:
      throw new InputError('Unknown action');
  }
}
