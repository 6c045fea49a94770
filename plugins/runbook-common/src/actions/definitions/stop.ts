import { defineAction } from '../definition';
import { noInput } from '../parts';

/** Scale to 0, remembering the count for `start`. */
export const stopAction = defineAction({
  name: 'stop',
  title: 'Stop',
  description: 'Scale to 0, remembering the replica count for Start.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
});
