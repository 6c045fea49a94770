import { ConflictError } from '@backstage/errors';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { RunbookActionInput } from '@nexus-cos/plugin-runbook-common';
import type { Operation } from '../../kubernetes/operations';
import type { Snapshot } from '../../kubernetes/snapshot';
import type { ClusterPlanner } from './clusterChange';

type Enabled = Extract<
  RunbookActionInput<'configure-autoscaling'>,
  { enabled: true }
>;

/** The runbook's "Configure HPA" manifest, aimed at the live Deployment. */
function hpaBody(
  s: Snapshot,
  name: string,
  input: Enabled,
): V2HorizontalPodAutoscaler {
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

/** Creates, updates or deletes the HPA; undone by restoring the one before, or none. */
export const configureAutoscaling: ClusterPlanner<'configure-autoscaling'> = {
  inputRefusal: (input, live) =>
    live && !input.enabled && !live.autoscaled
      ? `input.enabled: no HorizontalPodAutoscaler manages ${live.live.deployment}, so there is none to delete`
      : undefined,
  plan: (input, s) => {
    const name = s.hpa?.metadata?.name ?? `${s.target.service}-hpa`;
    const restore: Operation = s.hpa
      ? {
          type: 'replace',
          kind: 'HorizontalPodAutoscaler',
          name,
          body: {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name, labels: s.hpa.metadata?.labels },
            spec: s.hpa.spec,
          },
        }
      : { type: 'delete', kind: 'HorizontalPodAutoscaler', name };
    const undo = { operations: [restore], waitFor: [] };
    if (!input.enabled) {
      if (!s.hpa) {
        throw new ConflictError(
          `No HorizontalPodAutoscaler manages ${s.live.metadata.name}`,
        );
      }
      return {
        forward: [{ type: 'delete', kind: 'HorizontalPodAutoscaler', name }],
        undo,
        convergence: { kind: 'none' },
      };
    }
    return {
      forward: [
        {
          type: 'replace',
          kind: 'HorizontalPodAutoscaler',
          name,
          body: hpaBody(s, name, input),
        },
      ],
      undo,
      convergence: { kind: 'none' },
    };
  },
};
