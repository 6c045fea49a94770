import { z } from 'zod';
import { defineAction } from '../definition';

/** Backup, restore into a scratch database, verify, drop; on a DR-target Resource. */
export const drDrillAction = defineAction({
  name: 'dr-drill',
  title: 'DR drill',
  description:
    'Back up, restore into a scratch database, verify and drop it again.',
  input: z.strictObject({
    /** Name of the scratch database; default `<database>_drill_<time>`. */
    scratchDatabase: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        'must be a database name of lower-case letters, digits and "_", at most 63 characters',
      )
      .optional(),
  }),
  fields: [
    {
      name: 'scratchDatabase',
      label: 'Scratch database',
      type: 'text',
      hint: () => 'Default <database>_drill_<time>',
    },
  ],
  kinds: ['Resource'],
  // It creates and drops a database on the target's server.
  changesState: true,
  auditSeverity: 'medium',
});
