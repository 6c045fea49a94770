import { defineAction } from '../definition';
import { noInput } from '../parts';

/** `kubectl rollout restart`. */
export const restartAction = defineAction({
  name: 'restart',
  title: 'Rollout restart',
  description: 'Replace every pod, one by one.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
