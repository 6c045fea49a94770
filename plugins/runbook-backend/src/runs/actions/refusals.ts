import type { LiveState } from '@nexus-cos/plugin-runbook-node';

/** Scaling by hand fights an HPA: it would undo the change. */
export function autoscaledRefusal(live: LiveState | undefined) {
  return live?.autoscaled
    ? `A HorizontalPodAutoscaler manages ${live.live.deployment} and would undo this; change it with configure-autoscaling or delete it first`
    : undefined;
}

/** A paused Deployment does not roll out a new template, so the run would only time out. */
export function pausedRefusal(live: LiveState | undefined) {
  return live?.paused
    ? `The rollout of ${live.live.deployment} is paused, so a new template would not roll out; resume it first (resume-rollout)`
    : undefined;
}
