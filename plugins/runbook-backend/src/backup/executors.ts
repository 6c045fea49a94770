import type { RunbookActionExecutors } from '@nexus-cos/plugin-runbook-node';
import { task } from '../runs/actions/task';
import type { ConfigBackups } from './ConfigBackups';
import type { DatabaseBackups } from './DatabaseBackups';

/** The actions of the backup feature; their reports are the runs' `after`. */
export type BackupActionExecutors = Pick<
  RunbookActionExecutors,
  'backup' | 'verify-backup' | 'restore' | 'config-backup' | 'config-restore'
>;

/** One task per backup action; all refuse (409) while no backup store is configured. */
export function backupExecutors(o: {
  databases: DatabaseBackups;
  configs: ConfigBackups;
}): BackupActionExecutors {
  const { databases, configs } = o;
  const noStore = () => databases.unavailable;
  return {
    backup: task({
      refusal: noStore,
      prepare: target => databases.before(target),
      dryRun: target => databases.backupDryRun(target),
      run: async (target, _input, ctx) => ({
        after: await databases.backup(target, ctx),
      }),
    }),
    'verify-backup': task({
      refusal: noStore,
      inputRefusal: (input, _live, target) =>
        databases.inputRefusal(target, input.backupId),
      prepare: target => databases.before(target),
      dryRun: (target, input) => databases.verifyDryRun(target, input),
      run: async (target, input, ctx) => ({
        after: await databases.verify(target, input, ctx),
      }),
    }),
    restore: task({
      refusal: noStore,
      inputRefusal: (input, _live, target) =>
        databases.inputRefusal(target, input.backupId),
      prepare: target => databases.before(target),
      dryRun: (target, input) => databases.restoreDryRun(target, input),
      run: async (target, input, ctx) => ({
        after: await databases.restore(target, input, ctx),
      }),
    }),
    'config-backup': task({
      refusal: noStore,
      prepare: target => configs.before(target),
      dryRun: target => configs.backupDryRun(target),
      run: async (target, _input, ctx) => ({
        after: await configs.backup(target, ctx),
      }),
    }),
    'config-restore': task({
      refusal: noStore,
      inputRefusal: (input, _live, target) =>
        configs.inputRefusal(target, input.backupId),
      prepare: target => configs.before(target),
      dryRun: (target, input) => configs.restoreDryRun(target, input),
      run: async (target, input, ctx) => ({
        after: await configs.restore(target, input, ctx),
      }),
    }),
  };
}
