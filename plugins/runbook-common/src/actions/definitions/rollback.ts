import { z } from 'zod';
import { defineAction } from '../definition';

/** Restore the pod template of an earlier rollout revision. */
export const rollbackAction = defineAction({
  name: 'rollback',
  title: 'Roll back',
  description: 'Restore the pod template of an earlier rollout revision.',
  input: z.strictObject({
    revision: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1'),
  }),
  fields: [
    { name: 'revision', label: 'Revision', type: 'number', required: true },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
