import type { RestoreMode } from '../actions/definitions/restore';
import type { DrDrillTable } from '../types';

/** What a backup holds: a database dump, or a namespace's configuration bundle. @public */
export type BackupKind = 'database' | 'config';

/** Who asked for a backup: a person, a schedule, or a restore protecting what it replaces. @public */
export type BackupOrigin = 'manual' | 'scheduled' | 'safety';

/** One table as the backup captured it, in the snapshot of the dump. @public */
export type BackupTableSummary = {
  name: string;
  rows: number;
  checksum: string;
};

/** The last verification of a backup. @public */
export type BackupVerification = {
  at: string;
  /** The person or schedule that verified it. */
  by: string;
  ok: boolean;
  /** What was checked and, when it failed, why. */
  detail: string;
  /** Whether it was restored into a scratch database and compared table by table. */
  full: boolean;
  runId?: string;
};

/** One entry of `GET /backups`. @public */
export type BackupItem = {
  id: string;
  /** The DR target's name (database), or the service's entity ref (configuration). */
  target: string;
  kind: BackupKind;
  /** The entity whose run made it. */
  entityRef: string;
  createdAt: string;
  sizeBytes: number;
  sha256: string;
  /** Per-table row counts and checksums (database backups). */
  tables: BackupTableSummary[];
  verification?: BackupVerification;
  /** The run that made it. */
  runId: string;
  origin: BackupOrigin;
  /** Who made it: a user, or `schedule:<id>`. */
  by: string;
  /** The tool and version that wrote it, e.g. `pg_dump (PostgreSQL) 15.8`. */
  tool?: string;
  /** Newest timestamp in the captured data, for the RPO. */
  newestDataAt?: string;
  /** A configuration bundle's namespace and how many objects it holds. */
  namespace?: string;
  objects?: { configMaps: number; secrets: number };
  /** The restore run whose safety backup this is. */
  safetyFor?: string;
};

/** The `after` of a `backup` or `config-backup` run, stored whether it succeeded or not. @public */
export type BackupReport = {
  kind: 'backup' | 'config-backup';
  verdict: 'pass' | 'fail';
  /** The new backup; absent when it failed, for then nothing was stored. */
  backup?: BackupItem;
  failure?: string;
  /** Ids the retention rules removed after this backup. */
  pruned: string[];
};

/** One check of a `verify-backup` run. @public */
export type BackupCheck = { ok: boolean; detail: string };

/** The `after` of a `verify-backup` run, stored whether it passed or not. @public */
export type VerifyBackupReport = {
  kind: 'verify-backup';
  backupId: string;
  verdict: 'pass' | 'fail';
  /** Why it failed, naming the check. */
  failure?: string;
  sha256: BackupCheck & { expected: string; actual?: string };
  contents: BackupCheck & { entries?: number };
  /** The full check: a scratch restore compared table by table. */
  restore?: BackupCheck & {
    scratchDatabase: string;
    tables: DrDrillTable[];
    scratchDropped: boolean;
  };
};

/** The `after` of a `restore` run, stored whether it succeeded or not. @public */
export type RestoreReport = {
  kind: 'restore';
  backupId: string;
  mode: RestoreMode;
  verdict: 'pass' | 'fail';
  failure?: string;
  /** The database the backup was restored into. */
  database: string;
  /** In place: the backup of the data it replaced, taken first. */
  safetyBackupId?: string;
  /** The database afterwards, in one sentence a person can act on. */
  databaseState: string;
  tables: DrDrillTable[];
};

/** What a configuration restore did with one object. @public */
export type ConfigRestoreObject = {
  name: string;
  outcome: 'created' | 'replaced' | 'unchanged';
};

/** The `after` of a `config-restore` run. @public */
export type ConfigRestoreReport = {
  kind: 'config-restore';
  backupId: string;
  namespace: string;
  configMaps: ConfigRestoreObject[];
  /** Secrets are never restored (their values are never backed up): whether each is still there. */
  secrets: Array<{ name: string; present: boolean; missingKeys: string[] }>;
};
