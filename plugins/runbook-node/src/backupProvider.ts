import { createExtensionPoint } from '@backstage/backend-plugin-api';

/** A database a DR drill backs up, as configured in `runbook.drTargets.<name>`. @public */
export type BackupTarget = {
  /** The key under `runbook.drTargets`. */
  name: string;
  /** Connection URL with credentials; never log or report it. */
  connection: string;
  /** `table.column` whose newest value gives the RPO; detected when absent. */
  rpoColumn?: string;
};

/** Row count and content checksum of one table. @public */
export type TableFigures = { table: string; rows: number; checksum: string };

/** What a backup captured: the artifact and the source's figures at backup time. @public */
export type BackupResult = {
  /** Path of the backup artifact in the drill's working directory. */
  file: string;
  bytes: number;
  /** Which tool made it, e.g. "pg_dump 15.8". */
  tool: string;
  /** Figures of the source, taken in the same snapshot as the backup. */
  tables: TableFigures[];
  /** The newest timestamp in the captured data, and where it was found. */
  newestDataAt?: string;
  rpoColumn?: string;
};

/** Given to every step by the engine. @public */
export type BackupContext = {
  /** Aborted when the run is cancelled or times out. */
  signal: AbortSignal;
  /** A private directory for artifacts, removed after the drill. */
  workDir: string;
  /** Appends to the run's step log (never put secrets here). */
  log(message: string): Promise<void>;
};

/**
 * Backs up and restores one kind of database, for DR drills and the backup actions. A
 * drill calls `backup`, `restore` into a scratch database, `verify` on it, and always
 * `drop` at the end; the engine compares the figures and measures the times itself.
 * `verify` of the target's own database name gives the figures after an in-place restore.
 * @public
 */
export interface RunbookBackupProvider {
  /** Names the provider in reports and logs. */
  readonly id: string;
  /** Whether this provider handles the target, e.g. by its URL scheme. */
  supports(target: BackupTarget): boolean;
  backup(target: BackupTarget, ctx: BackupContext): Promise<BackupResult>;
  restore(
    target: BackupTarget,
    backup: BackupResult,
    scratchDatabase: string,
    ctx: BackupContext,
  ): Promise<void>;
  /** Figures of the scratch database, computed the same way as at backup time. */
  verify(
    target: BackupTarget,
    scratchDatabase: string,
    ctx: BackupContext,
  ): Promise<TableFigures[]>;
  /**
   * Reads the artifact's table of contents (`pg_restore --list` for PostgreSQL) and says
   * how many entries it has; throws, saying why, when the artifact cannot be read.
   * Needed by `verify-backup`.
   */
  inspect?(
    target: BackupTarget,
    file: string,
    ctx: BackupContext,
  ): Promise<{ entries: number }>;
  /**
   * Restores the artifact over the target database itself, all or nothing: when it
   * throws, the database must be as it was before. Needed by `restore` in place.
   */
  restoreInPlace?(
    target: BackupTarget,
    backup: BackupResult,
    ctx: BackupContext,
  ): Promise<void>;
  /** Drops the scratch database; must succeed when it was never created. */
  drop(
    target: BackupTarget,
    scratchDatabase: string,
    ctx: BackupContext,
  ): Promise<void>;
}

/** Lets modules add backup providers; they are tried before the built-in PostgreSQL one. @public */
export interface RunbookBackupProviderExtensionPoint {
  addBackupProvider(provider: RunbookBackupProvider): void;
}

/** @public */
export const runbookBackupProviderExtensionPoint =
  createExtensionPoint<RunbookBackupProviderExtensionPoint>({
    id: 'runbook.backup-provider',
  });

/**
 * Where backup artifacts are kept. The built-in store is a directory
 * (`runbook.backup.store.directory`); a module can put them in object storage instead.
 * The catalog of backups (ids, figures, verifications) stays in the plugin's database.
 * @public
 */
export interface RunbookBackupStore {
  /** Names the store in logs. */
  readonly id: string;
  /** Keeps the file at `file` under `key`; resolves once it is stored completely. */
  put(key: string, file: string): Promise<void>;
  /**
   * A local path holding the artifact stored under `key`, fetched into `workDir` when
   * the store is remote. Callers must not change the file. Throws when there is none.
   */
  get(key: string, workDir: string): Promise<string>;
  /** Removes the artifact; succeeds when it is already gone. */
  delete(key: string): Promise<void>;
}

/** Lets a module replace the directory backup store. @public */
export interface RunbookBackupStoreExtensionPoint {
  setBackupStore(store: RunbookBackupStore): void;
}

/** @public */
export const runbookBackupStoreExtensionPoint =
  createExtensionPoint<RunbookBackupStoreExtensionPoint>({
    id: 'runbook.backup-store',
  });
