import { z } from 'zod';
import { defineAction } from '../definition';
import { objectNameSchema } from '../parts';

/**
 * The runbook's `rotate-db-password.sh` on a DR-target Resource: a new password for the
 * configured application role, the Secret its consumers read updated and the consumers
 * rolled, then verified with a real connection; password and Secret revert on failure.
 */
export const rotateDbPasswordAction = defineAction({
  name: 'rotate-db-password',
  title: 'Rotate database password',
  description:
    "Give the database's application role a new password, update the Secret its consumers read, roll them and verify with a real connection; revert on failure.",
  input: z.strictObject({ secret: objectNameSchema('Secret') }),
  fields: [
    {
      name: 'secret',
      label: 'Secret',
      type: 'text',
      required: true,
      hint: () => 'The Secret the role is configured with',
    },
  ],
  kinds: ['Resource'],
  changesState: true,
  auditSeverity: 'high',
});
