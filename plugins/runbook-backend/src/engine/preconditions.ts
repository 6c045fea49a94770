import type { RunbookActionName } from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorRequest,
  LiveState,
} from '@nexus-cos/plugin-runbook-node';
import type { StoredRun } from '../database/RunStore';

/** Why the live state does not allow an action now (409), whatever its input. */
export function stateRefusal(
  action: RunbookActionName,
  live: LiveState,
  lastBlueGreenRun: StoredRun | undefined,
): string | undefined {
  const deployment = live.live.deployment;
  switch (action) {
    case 'scale':
    case 'stop':
    case 'start':
      if (live.autoscaled) {
        return `A HorizontalPodAutoscaler manages ${deployment} and would undo this; change it with configure-autoscaling or delete it first`;
      }
      if (action === 'stop' && live.live.replicas === 0) {
        return `${deployment} is already stopped`;
      }
      if (action === 'start' && live.stoppedReplicas === undefined) {
        return `${deployment} was not stopped by the runbook, so there is no replica count to restore; use scale`;
      }
      return undefined;
    case 'blue-green-switch':
      if (!live.idle) {
        return `There is no ${otherColour(
          live,
        )} Deployment to switch to; run blue-green-deploy first`;
      }
      if (
        live.idle.replicas === 0 ||
        live.idle.readyReplicas < live.idle.replicas
      ) {
        return `The ${live.idle.colour} colour is not ready (${live.idle.readyReplicas}/${live.idle.replicas} replicas ready); traffic stays on ${live.live.colour}`;
      }
      return undefined;
    case 'blue-green-decommission':
      if (!live.idle) {
        return `There is no idle colour to decommission`;
      }
      if (
        lastBlueGreenRun?.action !== 'blue-green-switch' ||
        lastBlueGreenRun.status !== 'succeeded'
      ) {
        return `Decommission is allowed only after a blue-green switch has held; the last blue-green run was ${
          lastBlueGreenRun
            ? `${lastBlueGreenRun.action} (${lastBlueGreenRun.status})`
            : 'none'
        }`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Why the input names something the live state does not have (400). */
export function inputRefusal(
  request: ExecutorRequest,
  live: LiveState,
): string | undefined {
  if (
    request.action === 'rollback' &&
    !live.revisions.includes(request.input.revision)
  ) {
    return `input.revision: ${live.live.deployment} has no revision ${
      request.input.revision
    }; it has ${live.revisions.join(', ') || 'none'}`;
  }
  if (
    request.action === 'delete-pod' &&
    !live.pods.includes(request.input.pod)
  ) {
    return `input.pod: ${request.input.pod} is not a pod of ${live.live.deployment}`;
  }
  if (
    request.action === 'configure-autoscaling' &&
    !request.input.enabled &&
    !live.autoscaled
  ) {
    return `input.enabled: no HorizontalPodAutoscaler manages ${live.live.deployment}, so there is none to delete`;
  }
  return undefined;
}

function otherColour(live: LiveState) {
  return live.live.colour === 'blue' ? 'green' : 'blue';
}
