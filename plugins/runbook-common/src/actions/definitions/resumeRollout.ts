import { defineAction } from '../definition';
import { noInput } from '../parts';

/** `kubectl rollout resume`: the paused rollout carries on, and the run waits for it. */
export const resumeRolloutAction = defineAction({
  name: 'resume-rollout',
  title: 'Resume rollout',
  description:
    'Resume the paused live Deployment and wait for its rollout to finish.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
