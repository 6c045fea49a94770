import type { V1Deployment } from '@kubernetes/client-node';
import type { Operation } from '../../kubernetes/operations';
import { STOPPED_REPLICAS_ANNOTATION } from '../../kubernetes/snapshot';

/** A Deployment body fit for create or replace: no server-owned fields. */
export function portable(deployment: V1Deployment): V1Deployment {
  const annotations = { ...deployment.metadata?.annotations };
  delete annotations['deployment.kubernetes.io/revision'];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deployment.metadata?.name,
      labels: deployment.metadata?.labels,
      annotations,
    },
    spec: deployment.spec,
  };
}

/** Puts back a whole pod template: the undo of every template change. */
export const replaceTemplate = (
  name: string,
  template: unknown,
): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'json',
  patch: [{ op: 'replace', path: '/spec/template', value: template }],
});

/** Changes fields of one container, matched by name. */
export const containerPatch = (
  name: string,
  container: Record<string, unknown>,
): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'strategic',
  patch: { spec: { template: { spec: { containers: [container] } } } },
});

/** Sets the replica count and what `stop` remembers (null forgets it). */
export const scalePatch = (
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

/** Pauses or resumes a Deployment's rollout (`spec.paused`). */
export const pausePatch = (name: string, paused: boolean): Operation => ({
  type: 'patch',
  kind: 'Deployment',
  name,
  strategy: 'merge',
  patch: { spec: { paused } },
});
