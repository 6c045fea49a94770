import { z } from 'zod';
import { defineAction } from '../definition';
import { objectNameSchema } from '../parts';

/** Delete one of the service's pods; its Deployment replaces it. */
export const deletePodAction = defineAction({
  name: 'delete-pod',
  title: 'Delete pod',
  description: 'Delete one pod; its Deployment replaces it.',
  input: z.strictObject({ pod: objectNameSchema('pod') }),
  fields: [{ name: 'pod', label: 'Pod name', type: 'text', required: true }],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
});
