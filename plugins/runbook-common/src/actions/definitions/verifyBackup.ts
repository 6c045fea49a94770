import { z } from 'zod';
import { defineAction } from '../definition';
import { backupIdSchema } from './backupId';

/** Checks that a stored backup is intact and restorable. */
export const verifyBackupAction = defineAction({
  name: 'verify-backup',
  title: 'Verify backup',
  description:
    'Check the file’s sha256 and table of contents; a full check restores it into a scratch database and compares every table.',
  input: z.strictObject({
    /** A backup of this database, or `latest` for its newest. */
    backupId: backupIdSchema,
    /** Restore into a scratch database and compare row counts and checksums. */
    full: z.boolean().optional(),
  }),
  fields: [
    {
      name: 'backupId',
      label: 'Backup',
      type: 'text',
      required: true,
      hint: () => 'An id from the list of backups, or latest',
    },
    {
      name: 'full',
      label: 'Full check: restore and compare every table',
      type: 'boolean',
    },
  ],
  kinds: ['Resource'],
  // It records the verification with the backup; a full check creates a database.
  changesState: true,
  auditSeverity: 'low',
});
