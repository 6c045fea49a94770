import { z } from 'zod';
import { defineAction, FormValues } from '../definition';
import { checkReplicas } from '../limits';
import { replicasSchema } from '../parts';
import { replicaRangeHint } from './hints';

const autoscalingOn = (values: FormValues) => values.enabled === true;

/** Create or update (`enabled: true`) or delete (`enabled: false`) the HPA. */
export const configureAutoscalingAction = defineAction({
  name: 'configure-autoscaling',
  title: 'Autoscaling',
  description:
    'Create or update the HorizontalPodAutoscaler, or remove it when disabled.',
  input: z.discriminatedUnion('enabled', [
    z.strictObject({
      enabled: z.literal(true),
      minReplicas: replicasSchema.min(1, 'must be at least 1'),
      maxReplicas: replicasSchema.min(1, 'must be at least 1'),
      targetCPUUtilizationPercentage: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(100, 'must be at most 100'),
    }),
    z.strictObject({ enabled: z.literal(false) }),
  ]),
  checkLimits: (input, limits) => {
    if (!input.enabled) return [];
    const { minReplicas, maxReplicas } = input;
    const issues = [
      ...checkReplicas('input.minReplicas', minReplicas, limits),
      ...checkReplicas('input.maxReplicas', maxReplicas, limits),
    ];
    if (minReplicas > maxReplicas) {
      issues.push({
        field: 'input.minReplicas',
        message: `minReplicas (${minReplicas}) must not exceed maxReplicas (${maxReplicas})`,
      });
    }
    return issues;
  },
  fields: [
    { name: 'enabled', label: 'Enabled', type: 'boolean', initial: true },
    {
      name: 'minReplicas',
      label: 'Minimum replicas',
      type: 'number',
      required: true,
      hint: replicaRangeHint,
      shownWhen: autoscalingOn,
    },
    {
      name: 'maxReplicas',
      label: 'Maximum replicas',
      type: 'number',
      required: true,
      hint: replicaRangeHint,
      shownWhen: autoscalingOn,
    },
    {
      name: 'targetCPUUtilizationPercentage',
      label: 'Target CPU utilization (%)',
      type: 'number',
      required: true,
      hint: () => 'Between 1 and 100',
      shownWhen: autoscalingOn,
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'medium',
});
