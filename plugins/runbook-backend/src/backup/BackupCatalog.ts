import type {
  BackupItem,
  BackupKind,
  BackupVerification,
} from '@nexus-cos/plugin-runbook-common';
import { Knex } from 'knex';

type BackupRow = {
  id: string;
  target: string;
  kind: string;
  entity_ref: string;
  store_key: string;
  created_at: string | number;
  size_bytes: string | number;
  sha256: string;
  tables: string;
  run_id: string;
  origin: string;
  created_by: string;
  tool: string | null;
  newest_data_at: string | null;
  details: string | null;
  safety_for: string | null;
  verified_at: string | number | null;
  verified_by: string | null;
  verified_ok: boolean | number | null;
  verified_full: boolean | number | null;
  verified_detail: string | null;
  verified_run_id: string | null;
};

/** A backup as stored: what the API lists, plus where its artifact is. */
export type StoredBackup = BackupItem & { storeKey: string };

const TABLE = 'runbook_backups';

function toItem(row: BackupRow): StoredBackup {
  const details = row.details ? JSON.parse(row.details) : {};
  return {
    id: row.id,
    target: row.target,
    kind: row.kind as BackupKind,
    entityRef: row.entity_ref,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    tables: JSON.parse(row.tables),
    runId: row.run_id,
    origin: row.origin as BackupItem['origin'],
    by: row.created_by,
    ...(row.tool ? { tool: row.tool } : {}),
    ...(row.newest_data_at ? { newestDataAt: row.newest_data_at } : {}),
    ...details,
    ...(row.safety_for ? { safetyFor: row.safety_for } : {}),
    ...(row.verified_at !== null
      ? {
          verification: {
            at: new Date(Number(row.verified_at)).toISOString(),
            by: row.verified_by!,
            ok: Boolean(row.verified_ok),
            full: Boolean(row.verified_full),
            detail: row.verified_detail ?? '',
            ...(row.verified_run_id ? { runId: row.verified_run_id } : {}),
          },
        }
      : {}),
    storeKey: row.store_key,
  };
}

/** The catalog of backups in the plugin's database; artifacts live in the store. */
export class BackupCatalog {
  constructor(private readonly db: Knex) {}

  async insert(item: StoredBackup): Promise<void> {
    await this.db<BackupRow>(TABLE).insert({
      id: item.id,
      target: item.target,
      kind: item.kind,
      entity_ref: item.entityRef,
      store_key: item.storeKey,
      created_at: Date.parse(item.createdAt),
      size_bytes: item.sizeBytes,
      sha256: item.sha256,
      tables: JSON.stringify(item.tables),
      run_id: item.runId,
      origin: item.origin,
      created_by: item.by,
      tool: item.tool ?? null,
      newest_data_at: item.newestDataAt ?? null,
      details:
        item.namespace || item.objects
          ? JSON.stringify({ namespace: item.namespace, objects: item.objects })
          : null,
      safety_for: item.safetyFor ?? null,
    });
  }

  async get(id: string): Promise<StoredBackup | undefined> {
    const row = await this.db<BackupRow>(TABLE).where({ id }).first();
    return row && toItem(row);
  }

  /** A target's backups, newest first. */
  async list(
    target: string,
    options: { kind?: BackupKind; limit?: number } = {},
  ): Promise<StoredBackup[]> {
    let query = this.db<BackupRow>(TABLE)
      .where({ target })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (options.kind) query = query.andWhere({ kind: options.kind });
    if (options.limit) query = query.limit(options.limit);
    return (await query).map(toItem);
  }

  async setVerification(id: string, v: BackupVerification): Promise<void> {
    await this.db<BackupRow>(TABLE)
      .where({ id })
      .update({
        verified_at: Date.parse(v.at),
        verified_by: v.by,
        verified_ok: v.ok,
        verified_full: v.full,
        verified_detail: v.detail,
        verified_run_id: v.runId ?? null,
      });
  }

  async delete(id: string): Promise<void> {
    await this.db<BackupRow>(TABLE).where({ id }).delete();
  }
}
