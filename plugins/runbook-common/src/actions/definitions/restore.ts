import { z } from 'zod';
import { defineAction } from '../definition';
import { runbookRestoreInplacePermission } from '../../permissions';
import { backupIdSchema } from './backupId';

/** Where a restore goes. @public */
export const RESTORE_MODES = ['scratch', 'in-place'] as const;

/** @public */
export type RestoreMode = (typeof RESTORE_MODES)[number];

/** The runbook's "Restore from backup": into a scratch database, or over the database itself. */
export const restoreAction = defineAction({
  name: 'restore',
  title: 'Restore',
  description:
    'Restore a backup into a new scratch database, or in place over the database after a safety backup.',
  input: z.strictObject({
    /** A backup of this database, or `latest` for its newest. */
    backupId: backupIdSchema,
    mode: z.enum(RESTORE_MODES, {
      error: `must be one of: ${RESTORE_MODES.join(', ')}`,
    }),
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
      name: 'mode',
      label: 'Restore into',
      type: 'select',
      options: RESTORE_MODES,
      required: true,
      hint: () =>
        'scratch: a new database beside it; in-place: replaces the data (a safety backup is taken first)',
    },
  ],
  kinds: ['Resource'],
  changesState: true,
  auditSeverity: 'high',
  guard: input =>
    input.mode === 'in-place'
      ? {
          why: 'Restoring in place replaces every table of the database with the backup’s',
          permission: runbookRestoreInplacePermission,
          confirm: true,
          reason: true,
          auditSeverity: 'critical',
        }
      : undefined,
});
