import { z } from 'zod';
import { defineAction } from '../definition';
import { backupIdSchema } from './backupId';

/** Puts a configuration bundle's ConfigMaps back; Secrets have no values to restore. */
export const configRestoreAction = defineAction({
  name: 'config-restore',
  title: 'Restore configuration',
  description:
    'Restore the ConfigMaps of a configuration bundle, and check that its Secrets still exist with their keys.',
  input: z.strictObject({
    /** A configuration backup of this service, or `latest` for its newest. */
    backupId: backupIdSchema,
  }),
  fields: [
    {
      name: 'backupId',
      label: 'Configuration backup',
      type: 'text',
      required: true,
      hint: () =>
        'An id from GET /backups?target=<this service>, or latest for the newest',
    },
  ],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'high',
});
