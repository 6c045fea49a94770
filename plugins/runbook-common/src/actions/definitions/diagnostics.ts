import { z } from 'zod';
import { defineAction } from '../definition';

/** The runbook's `diagnostics.sh` and troubleshooting guide, as a read-only run. */
export const diagnosticsAction = defineAction({
  name: 'diagnostics',
  title: 'Run diagnostics',
  description:
    "Check pods, resources, error logs, the autoscaler, dependencies and metrics the way the runbook's troubleshooting guide does. Changes nothing.",
  input: z.strictObject({
    /** How far back to count ERROR lines in the pods' logs. */
    logMinutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1')
      .max(1440, 'must be at most 1440')
      .optional(),
  }),
  fields: [
    {
      name: 'logMinutes',
      label: 'Error-log window (minutes)',
      type: 'number',
      hint: () => 'Default 60',
    },
  ],
  kinds: ['Component'],
  changesState: false,
  auditSeverity: 'low',
});
