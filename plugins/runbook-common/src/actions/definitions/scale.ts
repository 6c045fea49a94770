import { z } from 'zod';
import { defineAction } from '../definition';
import { checkReplicas } from '../limits';
import { replicasSchema } from '../parts';
import { replicaRangeHint } from './hints';

/** `kubectl scale --replicas=N` on the live Deployment. */
export const scaleAction = defineAction({
  name: 'scale',
  title: 'Scale',
  description: 'Set the number of replicas of the live Deployment.',
  input: z.strictObject({ replicas: replicasSchema }),
  checkLimits: (input, limits) =>
    checkReplicas('input.replicas', input.replicas, limits),
  fields: [
    {
      name: 'replicas',
      label: 'Replicas',
      type: 'number',
      required: true,
      hint: replicaRangeHint,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
