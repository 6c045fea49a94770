import { z } from 'zod';

/**
 * A backup's id as `GET /backups` lists it: lower-case letters, digits, ".", "_" and "-".
 * Ids name files in the backup store, so nothing else is accepted.
 */
export const BACKUP_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** The id of a backup, or `latest` where an action allows the newest one. */
export const backupIdSchema = z
  .string()
  .regex(
    BACKUP_ID_PATTERN,
    'must be a backup id from the list of backups (lower-case letters, digits, ".", "_" and "-", at most 128 characters)',
  );
