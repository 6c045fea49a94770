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
 * Backs up and restores one kind of database for DR drills. The engine calls `backup`,
 * `restore` into a scratch database, `verify` on it, and always `drop` at the end; it
 * compares the figures and measures the times itself.
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
