import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  BackupItem,
  BackupKind,
  BackupOrigin,
  BackupVerification,
} from '@nexus-cos/plugin-runbook-common';
import type {
  ExecutorContext,
  RunbookBackupStore,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { redactText } from '../audit/redact';
import type { BackupCatalog, StoredBackup } from './BackupCatalog';
import { NO_BACKUP_STORE } from './config';
import { prunable, RetentionRules } from './retention';

/** The sha256 of a file, read as a stream. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** `<name>-<UTC yyyymmdd-hhmmss>-<4 hex>`: sortable, unique, safe as a file name. */
export function newBackupId(name: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `${name}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Who made a run: schedules are `schedule:<id>`. */
export const originOf = (actor: string): BackupOrigin =>
  actor.startsWith('schedule:') ? 'scheduled' : 'manual';

/** The message of an error, without credentials. */
export const errorText = (error: unknown) =>
  redactText(error instanceof Error ? error.message : String(error));

/** A private working directory for one run, removed by `done`. */
export async function workDirFor(purpose: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `runbook-${purpose}-`));
  return { dir, done: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The backup store and its catalog: keeping an artifact (stored completely, then listed),
 * fetching one with its checksum checked, recording verifications, and pruning what the
 * retention rules no longer keep, on the audit trail.
 */
export class BackupService {
  constructor(
    private readonly o: {
      catalog: BackupCatalog;
      /** Undefined when no store is configured. */
      store?: RunbookBackupStore;
      retention: RetentionRules;
      audit: AuditTrail;
    },
  ) {}

  /** Why backups cannot run here, if they cannot. */
  get unavailable(): string | undefined {
    return this.o.store ? undefined : NO_BACKUP_STORE;
  }

  get retention(): RetentionRules {
    return this.o.retention;
  }

  get storeId(): string {
    return this.#store().id;
  }

  list(target: string, limit: number): Promise<BackupItem[]> {
    return this.o.catalog
      .list(target, { limit })
      .then(items => items.map(({ storeKey: _key, ...item }) => item));
  }

  /** A target's backups of one kind, newest first. */
  listOf(target: string, kind: BackupKind): Promise<StoredBackup[]> {
    return this.o.catalog.list(target, { kind });
  }

  /**
   * One backup of `target`, by id or `latest`; an input error naming the field when
   * there is none, or it belongs to something else.
   */
  /** Why `id` names no `kind` backup of `target`, if it does not: a run's input refusal. */
  async refusalOf(
    target: string,
    kind: BackupKind,
    id: string,
  ): Promise<string | undefined> {
    try {
      await this.find(target, kind, id);
      return undefined;
    } catch (error) {
      return errorText(error);
    }
  }

  async find(
    target: string,
    kind: BackupKind,
    id: string,
  ): Promise<StoredBackup> {
    const backup =
      id === 'latest'
        ? (await this.o.catalog.list(target, { kind, limit: 1 }))[0]
        : await this.o.catalog.get(id);
    if (!backup || backup.target !== target || backup.kind !== kind) {
      throw new InputError(
        id === 'latest'
          ? `input.backupId: ${target} has no ${kind} backup yet`
          : `input.backupId: ${target} has no ${kind} backup ${id} (see GET /backups?target=${target})`,
      );
    }
    return backup;
  }

  /**
   * Stores the artifact, then lists it: a backup is never listed without its complete
   * file, and a file whose listing fails is removed again.
   */
  async keep(
    item: Omit<StoredBackup, 'storeKey'>,
    file: string,
    storeKey: string,
  ): Promise<StoredBackup> {
    const store = this.#store();
    const stored = { ...item, storeKey };
    await store.put(storeKey, file);
    try {
      await this.o.catalog.insert(stored);
    } catch (error) {
      await store.delete(storeKey).catch(() => {});
      throw error;
    }
    return stored;
  }

  /**
   * A local copy of the artifact whose sha256 was checked; `problem` says what is
   * wrong with it instead.
   */
  async fetch(
    backup: StoredBackup,
    workDir: string,
  ): Promise<{ file?: string; actual?: string; problem?: string }> {
    let file: string;
    try {
      file = await this.#store().get(backup.storeKey, workDir);
    } catch (error) {
      return {
        problem: `the file is missing from the ${
          this.storeId
        } store (${errorText(error)})`,
      };
    }
    const actual = await sha256File(file);
    if (actual !== backup.sha256) {
      return {
        file,
        actual,
        problem: `sha256 mismatch: the backup recorded ${backup.sha256}, the stored file has ${actual}; the file was changed or damaged after the backup`,
      };
    }
    return { file, actual };
  }

  recordVerification(id: string, v: BackupVerification) {
    return this.o.catalog.setVerification(id, v);
  }

  /**
   * Removes the backups of the target (of one kind) that the retention rules no longer
   * keep, artifact first, and audits which.
   */
  async prune(
    target: RunbookTarget,
    name: string,
    kind: BackupKind,
    ctx: ExecutorContext,
    action: string,
  ): Promise<string[]> {
    const doomed = prunable(
      await this.o.catalog.list(name, { kind }),
      this.o.retention,
      new Date(),
    );
    for (const backup of doomed) {
      await this.#store().delete(backup.storeKey);
      await this.o.catalog.delete(backup.id);
    }
    if (doomed.length) {
      const ids = doomed.map(b => b.id);
      const { keepLast, keepDays } = this.o.retention;
      await ctx.log(
        `Retention (newest ${keepLast}, and any younger than ${keepDays} days) removed ${ids.join(
          ', ',
        )}`,
      );
      await this.o.audit.record({
        event: 'step',
        actor: ctx.run?.actor ?? 'plugin:runbook',
        entityRef: target.entityRef,
        action,
        runId: ctx.run?.id,
        outcome: `pruned ${ids.length} backup(s) past retention`,
        summary: { pruned: ids, retention: { keepLast, keepDays } },
      });
    }
    return doomed.map(b => b.id);
  }

  #store(): RunbookBackupStore {
    if (!this.o.store) throw new ConflictError(NO_BACKUP_STORE);
    return this.o.store;
  }
}
