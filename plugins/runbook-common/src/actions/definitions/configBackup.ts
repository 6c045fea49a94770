import { defineAction } from '../definition';
import { noInput } from '../parts';

/** The runbook's "Backup configurations": ConfigMaps and Secret names of the namespace. */
export const configBackupAction = defineAction({
  name: 'config-backup',
  title: 'Back up configuration',
  description:
    'Bundle the namespace’s ConfigMaps, and its Secrets’ names and keys (never their values), in the backup store.',
  input: noInput,
  fields: [],
  kinds: ['Component'],
  changesState: true,
  auditSeverity: 'low',
});
