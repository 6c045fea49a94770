import type {
  BackupReport,
  DrDrillTable,
  ObjectDiff,
  RestoreReport,
  RunbookActionInput,
  VerifyBackupReport,
} from '@nexus-cos/plugin-runbook-common';
import {
  BackupContext,
  BackupResult,
  ExecutorContext,
  RunbookTarget,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import type { StoredBackup } from './BackupCatalog';
import {
  BackupService,
  errorText,
  newBackupId,
  originOf,
  sha256File,
  workDirFor,
} from './BackupService';
import { compareTables, scratchName } from './figures';
import { prunable } from './retention';
import type { BackupTargets, ResolvedTarget } from './targets';

const backupContext = (
  ctx: ExecutorContext,
  workDir: string,
): BackupContext => ({
  signal: ctx.signal,
  workDir,
  log: m => ctx.log(m),
});

/** A stored backup as the providers take it. */
const asResult = (backup: StoredBackup, file: string): BackupResult => ({
  file,
  bytes: backup.sizeBytes,
  tool: backup.tool ?? '',
  tables: backup.tables.map(t => ({
    table: t.name,
    rows: t.rows,
    checksum: t.checksum,
  })),
});

const actorOf = (ctx: ExecutorContext) => ctx.run?.actor ?? 'plugin:runbook';

/**
 * The runbook's "Database Backups" on DR targets: back up into the store, verify a
 * stored backup, restore one into a scratch database or in place.
 */
export class DatabaseBackups {
  constructor(
    private readonly o: { targets: BackupTargets; backups: BackupService },
  ) {}

  /** Why none of the actions can run, if they cannot. */
  get unavailable(): string | undefined {
    return this.o.backups.unavailable;
  }

  /** The `input.backupId` problem of a verify or restore request, if any. */
  async inputRefusal(
    target: RunbookTarget,
    backupId: string,
  ): Promise<string | undefined> {
    return this.o.backups.refusalOf(target.service, 'database', backupId);
  }

  before(target: RunbookTarget) {
    const { database, provider } = this.o.targets.resolve(target.service);
    return {
      before: {
        target: target.service,
        database,
        provider: provider.id,
        store: this.o.backups.storeId,
      },
      undo: null,
      plan: {},
    };
  }

  /** A new backup in the store, then the retention rules applied to the target. */
  async backup(
    target: RunbookTarget,
    ctx: ExecutorContext,
  ): Promise<BackupReport> {
    const resolved = this.o.targets.resolve(target.service);
    let backup: StoredBackup;
    try {
      backup = await this.#backupNow(target, resolved, ctx, {});
    } catch (error) {
      const failure = `Backup of ${
        resolved.name
      } failed, nothing was stored: ${errorText(error)}`;
      throw new RunReportError(failure, {
        kind: 'backup',
        verdict: 'fail',
        failure,
        pruned: [],
      });
    }
    const pruned = await this.o.backups.prune(
      target,
      resolved.name,
      'database',
      ctx,
      'backup',
    );
    const { storeKey: _key, ...item } = backup;
    return { kind: 'backup', verdict: 'pass', backup: item, pruned };
  }

  /** What a backup would add, and what retention would then remove. */
  async backupDryRun(target: RunbookTarget): Promise<ObjectDiff[]> {
    const resolved = this.o.targets.resolve(target.service);
    const existing = await this.o.backups.listOf(resolved.name, 'database');
    const placeholder = { id: '(new)', createdAt: new Date().toISOString() };
    const gone = prunable(
      [placeholder, ...existing],
      this.o.backups.retention,
      new Date(),
    );
    return [
      {
        kind: 'Backup',
        name: `${resolved.name} (new)`,
        namespace: this.o.backups.storeId,
        operation: 'create',
        changes: [
          { path: 'database', after: resolved.database },
          { path: 'tool', after: resolved.provider.id },
        ],
      },
      ...gone.map(
        (b): ObjectDiff => ({
          kind: 'Backup',
          name: b.id,
          namespace: this.o.backups.storeId,
          operation: 'delete',
          changes: [{ path: 'createdAt', before: b.createdAt }],
        }),
      ),
    ];
  }

  async verify(
    target: RunbookTarget,
    input: RunbookActionInput<'verify-backup'>,
    ctx: ExecutorContext,
  ): Promise<VerifyBackupReport> {
    const resolved = this.o.targets.resolve(target.service);
    const backup = await this.o.backups.find(
      resolved.name,
      'database',
      input.backupId,
    );
    const full = input.full === true;
    const work = await workDirFor('verify');
    const report: VerifyBackupReport = {
      kind: 'verify-backup',
      backupId: backup.id,
      verdict: 'fail',
      sha256: { ok: false, expected: backup.sha256, detail: '' },
      contents: { ok: false, detail: 'not checked: the sha256 did not match' },
    };
    try {
      await ctx.log(`Verifying backup ${backup.id}${full ? ' in full' : ''}`);
      const fetched = await this.o.backups.fetch(backup, work.dir);
      report.sha256 = {
        ok: !fetched.problem,
        expected: backup.sha256,
        ...(fetched.actual ? { actual: fetched.actual } : {}),
        detail: fetched.problem ?? 'the stored file has the recorded sha256',
      };
      if (fetched.file && !fetched.problem) {
        report.contents = await this.#contents(
          resolved,
          fetched.file,
          backupContext(ctx, work.dir),
        );
        if (report.contents.ok && full) {
          report.restore = await this.#scratchCheck(
            resolved,
            asResult(backup, fetched.file),
            backupContext(ctx, work.dir),
            ctx,
          );
        }
      }
    } finally {
      await work.done();
    }
    const failed = [report.sha256, report.contents, report.restore].find(
      c => c && !c.ok,
    );
    report.verdict = failed ? 'fail' : 'pass';
    if (failed) report.failure = failed.detail;
    const detail = failed
      ? failed.detail
      : `sha256 matches; ${report.contents.detail}${
          report.restore ? `; ${report.restore.detail}` : ''
        }`;
    await this.o.backups.recordVerification(backup.id, {
      at: new Date().toISOString(),
      by: actorOf(ctx),
      ok: !failed,
      full,
      detail,
      runId: ctx.run?.id,
    });
    await ctx.log(
      failed ? `Verification failed: ${detail}` : `Verified: ${detail}`,
      failed ? 'error' : 'info',
    );
    if (failed) {
      throw new RunReportError(
        `Backup ${backup.id} failed verification: ${detail}`,
        report,
      );
    }
    return report;
  }

  /** Which backup would be verified, and how. */
  async verifyDryRun(
    target: RunbookTarget,
    input: RunbookActionInput<'verify-backup'>,
  ): Promise<ObjectDiff[]> {
    const backup = await this.o.backups.find(
      target.service,
      'database',
      input.backupId,
    );
    return [
      {
        kind: 'Backup',
        name: backup.id,
        namespace: this.o.backups.storeId,
        operation: 'update',
        changes: [
          {
            path: 'verification',
            before: backup.verification
              ? `${backup.verification.ok ? 'passed' : 'failed'} ${
                  backup.verification.at
                }`
              : undefined,
            after: input.full
              ? 'sha256, table of contents, and a scratch restore compared table by table'
              : 'sha256 and table of contents',
          },
        ],
      },
    ];
  }

  async restore(
    target: RunbookTarget,
    input: RunbookActionInput<'restore'>,
    ctx: ExecutorContext,
  ): Promise<RestoreReport> {
    const resolved = this.o.targets.resolve(target.service);
    const backup = await this.o.backups.find(
      resolved.name,
      'database',
      input.backupId,
    );
    const work = await workDirFor('restore');
    const bctx = backupContext(ctx, work.dir);
    const base = {
      kind: 'restore' as const,
      backupId: backup.id,
      mode: input.mode,
      tables: [],
    };
    const fail = (report: RestoreReport): never => {
      throw new RunReportError(
        `Restore of ${backup.id} failed: ${report.failure}. ${report.databaseState}`,
        report,
      );
    };
    try {
      const fetched = await this.o.backups.fetch(backup, work.dir);
      if (fetched.problem || !fetched.file) {
        return fail({
          ...base,
          verdict: 'fail',
          database: resolved.database,
          failure: `the backup cannot be used: ${fetched.problem}`,
          databaseState: `${resolved.database} was not touched.`,
        });
      }
      const artifact = asResult(backup, fetched.file);
      return input.mode === 'in-place'
        ? await this.#inPlace(
            target,
            resolved,
            backup,
            artifact,
            bctx,
            ctx,
            fail,
          )
        : await this.#toScratch(resolved, artifact, bctx, ctx, base, fail);
    } finally {
      await work.done();
    }
  }

  /** What a restore would create or replace, table by table. */
  async restoreDryRun(
    target: RunbookTarget,
    input: RunbookActionInput<'restore'>,
  ): Promise<ObjectDiff[]> {
    const resolved = this.o.targets.resolve(target.service);
    const backup = await this.o.backups.find(
      resolved.name,
      'database',
      input.backupId,
    );
    if (input.mode === 'scratch') {
      return [
        {
          kind: 'Database',
          name: scratchName(resolved.database, 'restore'),
          namespace: resolved.name,
          operation: 'create',
          changes: backup.tables.map(t => ({
            path: `${t.name}.rows`,
            after: t.rows,
          })),
        },
      ];
    }
    const work = await workDirFor('restore-dry-run');
    try {
      const live = await resolved.provider.verify(
        resolved.target,
        resolved.database,
        {
          signal: new AbortController().signal,
          workDir: work.dir,
          log: async () => {},
        },
      );
      const names = new Set([
        ...backup.tables.map(t => t.name),
        ...live.map(t => t.table),
      ]);
      const changes: ObjectDiff['changes'] = [
        { path: 'safetyBackup', after: 'taken first, of the data replaced' },
      ];
      for (const name of [...names].sort()) {
        const before = live.find(t => t.table === name);
        const after = backup.tables.find(t => t.name === name);
        if (before?.checksum !== after?.checksum) {
          changes.push({
            path: `${name}.rows`,
            before: before?.rows,
            after: after ? after.rows : '(kept: not in the backup)',
          });
        }
      }
      return [
        {
          kind: 'Database',
          name: resolved.database,
          namespace: resolved.name,
          operation: 'update',
          changes,
        },
      ];
    } finally {
      await work.done();
    }
  }

  async #backupNow(
    target: RunbookTarget,
    resolved: ResolvedTarget,
    ctx: ExecutorContext,
    extra: { origin?: 'safety'; safetyFor?: string },
  ): Promise<StoredBackup> {
    const work = await workDirFor('backup');
    try {
      const started = new Date();
      const result = await resolved.provider.backup(
        resolved.target,
        backupContext(ctx, work.dir),
      );
      const sha256 = await sha256File(result.file);
      const id = newBackupId(resolved.name, started);
      const actor = actorOf(ctx);
      const stored = await this.o.backups.keep(
        {
          id,
          target: resolved.name,
          kind: 'database',
          entityRef: target.entityRef,
          createdAt: started.toISOString(),
          sizeBytes: result.bytes,
          sha256,
          tables: result.tables.map(t => ({
            name: t.table,
            rows: t.rows,
            checksum: t.checksum,
          })),
          runId: ctx.run?.id ?? '',
          origin: extra.origin ?? originOf(actor),
          by: actor,
          tool: result.tool,
          ...(result.newestDataAt ? { newestDataAt: result.newestDataAt } : {}),
          ...(extra.safetyFor ? { safetyFor: extra.safetyFor } : {}),
        },
        result.file,
        `${resolved.name}/${id}.dump`,
      );
      await ctx.log(
        `Stored backup ${id}: ${result.bytes} bytes, ${
          result.tables.length
        } tables, sha256 ${sha256.slice(0, 12)}…`,
      );
      return stored;
    } finally {
      await work.done();
    }
  }

  /** The artifact's table of contents. */
  async #contents(
    resolved: ResolvedTarget,
    file: string,
    bctx: BackupContext,
  ): Promise<VerifyBackupReport['contents']> {
    if (!resolved.provider.inspect) {
      return {
        ok: false,
        detail: `the ${resolved.provider.id} provider cannot read a backup's contents`,
      };
    }
    try {
      const { entries } = await resolved.provider.inspect(
        resolved.target,
        file,
        bctx,
      );
      return {
        ok: true,
        entries,
        detail: `its table of contents lists ${entries} entries`,
      };
    } catch (error) {
      return {
        ok: false,
        detail: `its contents cannot be read: ${errorText(error)}`,
      };
    }
  }

  /** Restores into a scratch database, compares every table, always drops it. */
  async #scratchCheck(
    resolved: ResolvedTarget,
    artifact: BackupResult,
    bctx: BackupContext,
    ctx: ExecutorContext,
  ): Promise<NonNullable<VerifyBackupReport['restore']>> {
    const scratch = scratchName(resolved.database, 'verify');
    const { provider, target } = resolved;
    let tables: DrDrillTable[] = [];
    let problem: string | undefined;
    try {
      await provider.restore(target, artifact, scratch, bctx);
      const figures = await provider.verify(target, scratch, bctx);
      const compared = compareTables(artifact.tables, figures);
      tables = compared.tables;
      problem = compared.failure;
    } catch (error) {
      problem = `the restore into ${scratch} failed: ${errorText(error)}`;
    }
    let scratchDropped = true;
    try {
      await provider.drop(target, scratch, bctx);
      await ctx.log(`Dropped the scratch database ${scratch}`);
    } catch (error) {
      scratchDropped = false;
      await ctx.log(
        `Could not drop the scratch database ${scratch}: ${errorText(error)}`,
        'error',
      );
    }
    const ok = !problem && scratchDropped;
    return {
      ok,
      scratchDatabase: scratch,
      tables,
      scratchDropped,
      detail:
        problem ??
        (scratchDropped
          ? `restored into a scratch database, all ${tables.length} tables match their row counts and checksums`
          : `the scratch database ${scratch} could not be dropped`),
    };
  }

  async #toScratch(
    resolved: ResolvedTarget,
    artifact: BackupResult,
    bctx: BackupContext,
    ctx: ExecutorContext,
    base: Pick<RestoreReport, 'kind' | 'backupId' | 'mode' | 'tables'>,
    fail: (r: RestoreReport) => never,
  ): Promise<RestoreReport> {
    const { provider, target, database } = resolved;
    const scratch = scratchName(database, 'restore');
    try {
      await provider.restore(target, artifact, scratch, bctx);
    } catch (error) {
      await provider.drop(target, scratch, bctx).catch(() => {});
      return fail({
        ...base,
        verdict: 'fail',
        database: scratch,
        failure: `the restore into ${scratch} failed: ${errorText(error)}`,
        databaseState: `${database} was not touched; the partial scratch database ${scratch} was dropped.`,
      });
    }
    const compared = compareTables(
      artifact.tables,
      await provider.verify(target, scratch, bctx),
    );
    await ctx.log(
      compared.failure ??
        `Restored into ${scratch}: all ${compared.tables.length} tables match the backup`,
      compared.failure ? 'error' : 'info',
    );
    const report: RestoreReport = {
      ...base,
      verdict: compared.failure ? 'fail' : 'pass',
      database: scratch,
      tables: compared.tables,
      ...(compared.failure ? { failure: compared.failure } : {}),
      databaseState: `The backup is in the new database ${scratch}, which is kept for you; ${database} was not touched.`,
    };
    return compared.failure ? fail(report) : report;
  }

  async #inPlace(
    target: RunbookTarget,
    resolved: ResolvedTarget,
    backup: StoredBackup,
    artifact: BackupResult,
    bctx: BackupContext,
    ctx: ExecutorContext,
    fail: (r: RestoreReport) => never,
  ): Promise<RestoreReport> {
    const { provider, database } = resolved;
    const base = {
      kind: 'restore' as const,
      backupId: backup.id,
      mode: 'in-place' as const,
      database,
    };
    if (!provider.restoreInPlace) {
      return fail({
        ...base,
        verdict: 'fail',
        tables: [],
        failure: `the ${provider.id} provider cannot restore in place`,
        databaseState: `${database} was not touched.`,
      });
    }
    let safety: StoredBackup;
    try {
      await ctx.log(`Taking a safety backup of ${database} first`);
      safety = await this.#backupNow(target, resolved, ctx, {
        origin: 'safety',
        safetyFor: ctx.run?.id,
      });
    } catch (error) {
      return fail({
        ...base,
        verdict: 'fail',
        tables: [],
        failure: `the safety backup failed: ${errorText(error)}`,
        databaseState: `${database} was not touched.`,
      });
    }
    const withSafety = { ...base, safetyBackupId: safety.id };
    try {
      await provider.restoreInPlace(resolved.target, artifact, bctx);
    } catch (error) {
      const failure = `the restore over ${database} failed: ${errorText(
        error,
      )}`;
      // Say what the database holds now, as measured, not as hoped.
      const now = await this.#compareLive(
        resolved,
        safety,
        bctx,
        `${database} is NOT as it was: it differs from the safety backup ${safety.id}`,
      );
      return fail({
        ...withSafety,
        verdict: 'fail',
        failure,
        tables: now.tables,
        databaseState: now.failure
          ? `${now.failure}. Restore the safety backup ${safety.id} in place to return to the state before this run.`
          : `${database} is unchanged: the restore was rolled back, and all ${now.tables.length} tables still match the safety backup ${safety.id} taken just before it.`,
      });
    }
    const after = await this.#compareLive(
      resolved,
      backup,
      bctx,
      `${database} differs from backup ${backup.id}`,
    );
    await ctx.log(
      after.failure ??
        `${database} now holds backup ${backup.id}: all ${after.tables.length} tables match`,
      after.failure ? 'error' : 'info',
    );
    const report: RestoreReport = {
      ...withSafety,
      verdict: after.failure ? 'fail' : 'pass',
      tables: after.tables,
      ...(after.failure ? { failure: after.failure } : {}),
      databaseState: `${
        after.failure
          ? `${database} holds the restored data but it does not match the backup`
          : `${database} holds backup ${backup.id} (all ${after.tables.length} tables match)`
      }${
        after.extra.length
          ? `; tables created after the backup were kept: ${after.extra.join(
              ', ',
            )}`
          : ''
      }; the data it replaced is in the safety backup ${safety.id}.`,
    };
    return after.failure ? fail(report) : report;
  }

  /** The live database's tables against a backup's figures. */
  async #compareLive(
    resolved: ResolvedTarget,
    backup: StoredBackup,
    bctx: BackupContext,
    differs: string,
  ) {
    try {
      const live = await resolved.provider.verify(
        resolved.target,
        resolved.database,
        bctx,
      );
      return compareTables(
        backup.tables.map(t => ({
          table: t.name,
          rows: t.rows,
          checksum: t.checksum,
        })),
        live,
        differs,
      );
    } catch (error) {
      return {
        tables: [],
        extra: [],
        failure: `${
          resolved.database
        } could not be read to say what it holds (${errorText(error)})`,
      };
    }
  }
}
