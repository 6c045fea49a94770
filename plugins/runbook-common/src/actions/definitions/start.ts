import { defineAction } from '../definition';
import { noInput } from '../parts';

/** Restore the count remembered by `stop`. */
export const startAction = defineAction({
  name: 'start',
  title: 'Start',
  description: 'Restore the replica count remembered by Stop.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
