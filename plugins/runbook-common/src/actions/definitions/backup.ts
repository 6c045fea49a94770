import { defineAction } from '../definition';
import { noInput } from '../parts';

/** The runbook's "Manual backup": `pg_dump` of a DR target, kept in the backup store. */
export const backupAction = defineAction({
  name: 'backup',
  title: 'Back up',
  description:
    'Dump the database with its row counts and checksums, and keep it in the backup store.',
  input: noInput,
  fields: [],
  kinds: ['Resource'],
  // It writes to the backup store and prunes what retention no longer keeps.
  changesState: true,
  auditSeverity: 'medium',
});
