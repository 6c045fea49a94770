import { defineAction } from '../definition';
import { noInput } from '../parts';

/** `kubectl rollout pause`: a bad rollout stops where it is, its pods stay as they are. */
export const pauseRolloutAction = defineAction({
  name: 'pause-rollout',
  title: 'Pause rollout',
  description:
    'Pause the live Deployment: a rollout in progress stops where it is until resumed.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
