import { Knex } from 'knex';
import type { AuditFilter, AuditOrder } from '@nexus-cos/plugin-runbook-common';

/** An audit row exactly as stored: `params` and `summary` are canonical JSON text. */
export type AuditRow = {
  seq: number;
  at: string;
  event: string;
  actor: string;
  entity_ref: string;
  action: string;
  run_id: string | null;
  outcome: string;
  params: string;
  summary: string;
  duration_ms: number | null;
  prev_hash: string;
  hash: string;
};

/** The newest row's position in the chain. */
export type ChainHead = { seq: number; hash: string };

const normalize = (row: AuditRow): AuditRow => ({
  ...row,
  seq: Number(row.seq),
  duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
});

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serializes appends. */
const APPEND_LOCK_KEY = 7_425_011;

/** The append-only audit table and the anchors of its chain head. */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  /**
   * Appends one row after the current head, in its own transaction or `within` the
   * caller's. Appends are serialized across backend replicas (an advisory lock on
   * PostgreSQL, the single writer on SQLite), and the primary key on `seq` refuses a
   * second row at the same position regardless.
   */
  async append(
    build: (head: ChainHead | undefined) => AuditRow,
    within?: Knex.Transaction,
  ): Promise<AuditRow> {
    const appendIn = async (trx: Knex.Transaction) => {
      if (this.db.client.config.client === 'pg') {
        await trx.raw('SELECT pg_advisory_xact_lock(?)', [APPEND_LOCK_KEY]);
      }
      const head = await this.head(trx);
      const row = build(head);
      await trx('runbook_audit').insert(row);
      return row;
    };
    return within ? appendIn(within) : this.db.transaction(appendIn);
  }

  async head(
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<ChainHead | undefined> {
    const row = await trx('runbook_audit')
      .orderBy('seq', 'desc')
      .select('seq', 'hash')
      .first();
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  /**
   * Rows matching the filter past the `cursor` seq: in chain order after it, or with
   * `desc` newest first before it (0 = from the newest).
   */
  async list(
    filter: AuditFilter,
    cursor: number,
    limit: number,
    order: AuditOrder = 'asc',
  ): Promise<AuditRow[]> {
    const query = this.db<AuditRow>('runbook_audit');
    if (order === 'asc') query.where('seq', '>', cursor);
    else if (cursor > 0) query.where('seq', '<', cursor);
    if (filter.entity) query.andWhere('entity_ref', filter.entity);
    if (filter.actor) query.andWhere('actor', filter.actor);
    if (filter.action) query.andWhere('action', filter.action);
    if (filter.outcome) query.andWhere('outcome', filter.outcome);
    if (filter.run) query.andWhere('run_id', filter.run);
    if (filter.from) query.andWhere('at', '>=', filter.from);
    if (filter.to) query.andWhere('at', '<', filter.to);
    const rows = await query.orderBy('seq', order).limit(limit);
    return rows.map(normalize);
  }

  async addAnchor(anchor: ChainHead, at: string): Promise<void> {
    await this.db('runbook_audit_anchors')
      .insert({ seq: anchor.seq, hash: anchor.hash, at })
      .onConflict('seq')
      .ignore();
  }

  async anchors(): Promise<ChainHead[]> {
    const rows = await this.db('runbook_audit_anchors').orderBy('seq');
    return rows.map(r => ({ seq: Number(r.seq), hash: r.hash }));
  }
}
