import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';
import type { Operation } from '../../kubernetes/operations';
import { labelSelectorOf } from '../../kubernetes/snapshot';
import { scalePatch } from './patches';
import { autoscaledRefusal } from './refusals';
import type { ClusterPlanner } from './clusterChange';

/**
 * Scale to zero, remembering the count on the Deployment for `start`; never a delete of
 * the Deployment. The run ends when the pods have exited.
 *
 * A grace period cannot reach the pods through the Deployment: a ReplicaSet scaling down
 * deletes each pod with the pod's own `terminationGracePeriodSeconds`, and a pod's spec
 * cannot change (a new template would roll out new pods first). So with
 * `gracePeriodSeconds` the live pods are deleted with that grace period first, as
 * `kubectl delete --grace-period` does, and the scale to zero follows; replacements the
 * ReplicaSet starts in between are removed by the scale before they become ready.
 */
export const stop: ClusterPlanner<'stop'> = {
  refusal: ({ live }) =>
    autoscaledRefusal(live) ??
    (live?.live.replicas === 0
      ? `${live.live.deployment} is already stopped`
      : undefined),
  plan: (input, s) => {
    const name = s.live.metadata.name;
    const replicas = s.live.spec?.replicas ?? 1;
    const grace = input.gracePeriodSeconds;
    const selector = s.live.spec?.selector?.matchLabels ?? {};
    const podDeletes: Operation[] =
      grace === undefined
        ? []
        : s.livePods.map(pod => ({
            type: 'delete',
            kind: 'Pod',
            name: pod,
            gracePeriodSeconds: grace,
          }));
    return {
      forward: [...podDeletes, scalePatch(name, 0, replicas)],
      undo: {
        operations: [scalePatch(name, replicas, null)],
        waitFor: [name],
      },
      convergence: {
        kind: 'stopped',
        deployment: name,
        podSelector: labelSelectorOf(
          Object.keys(selector).length
            ? selector
            : { [ANNOTATION_KUBERNETES_ID]: s.target.service },
        ),
        graceSeconds: grace ?? 0,
      },
      ...(grace === undefined ? {} : { before: { gracePeriodSeconds: grace } }),
    };
  },
};
