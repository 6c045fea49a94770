import { Knex } from 'knex';
import type { AuditFilter, AuditOrder } from '@nexus-cos/plugin-runbook-common';
import { AuditFields, GENESIS_HASH, canonicalPieces, hashRow } from './chain';

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

/** How often an append retries after another replica took the same place in the chain. */
const MAX_ATTEMPTS = 50;

/** A unique violation (PostgreSQL, SQLite): another append took the row's `seq` first. */
const isTakenSeq = (error: unknown) =>
  ['23505', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(
    (error as { code?: string })?.code ?? '',
  );

/**
 * The row's place in the chain and its hash, computed by PostgreSQL from the head it
 * reads in the same statement: `sha256(prev_hash || canonical JSON)`, the canonical JSON
 * completed from the pieces around `prev_hash` and `seq` (chain.ts, canonicalPieces).
 */
const APPEND_SQL = `
WITH head AS (
  SELECT COALESCE((SELECT seq FROM runbook_audit ORDER BY seq DESC LIMIT 1), 0) AS seq,
         COALESCE((SELECT hash FROM runbook_audit ORDER BY seq DESC LIMIT 1), ?) AS hash
)
INSERT INTO runbook_audit
  (seq, at, event, actor, entity_ref, action, run_id, outcome, params, summary, duration_ms, prev_hash, hash)
SELECT head.seq + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, head.hash,
  encode(sha256(convert_to(head.hash || ? || head.hash || ? || (head.seq + 1)::text || ?, 'UTF8')), 'hex')
FROM head
RETURNING seq, prev_hash, hash`;

/** A string column as JSON, as JSON.stringify writes it (PostgreSQL escapes the same set). */
const jsonText = (column: string) =>
  `COALESCE(to_json(${column})::text, 'null')`;

/**
 * Every row's hash recomputed by PostgreSQL, its link to the row before and its place,
 * in one pass over the table: how many rows there are and how many are wrong. The
 * canonical JSON is written as {@link canonicalPieces} writes it.
 */
const VERIFY_SQL = `
WITH walk AS (
  SELECT seq, prev_hash, hash,
    lag(hash) OVER (ORDER BY seq) AS before_hash,
    row_number() OVER (ORDER BY seq) AS place,
    encode(sha256(convert_to(prev_hash
      || '{"action":' || ${jsonText('action')}
      || ',"actor":' || ${jsonText('actor')}
      || ',"at":' || ${jsonText('at')}
      || ',"duration_ms":' || COALESCE(duration_ms::text, 'null')
      || ',"entity_ref":' || ${jsonText('entity_ref')}
      || ',"event":' || ${jsonText('event')}
      || ',"outcome":' || ${jsonText('outcome')}
      || ',"params":' || ${jsonText('params')}
      || ',"prev_hash":"' || prev_hash
      || '","run_id":' || ${jsonText('run_id')}
      || ',"seq":' || seq::text
      || ',"summary":' || ${jsonText('summary')}
      || '}', 'UTF8')), 'hex') AS computed
  FROM runbook_audit
)
SELECT count(*) AS checked,
  count(*) FILTER (
    WHERE seq <> place
       OR prev_hash IS DISTINCT FROM COALESCE(before_hash, ?)
       OR hash IS DISTINCT FROM computed
  ) AS broken
FROM walk`;

/** Most rows one group append writes at once. */
const GROUP_LIMIT = 200;

type Pending = {
  fields: AuditFields;
  resolve: (row: AuditRow) => void;
  reject: (error: unknown) => void;
};

/** The append-only audit table and the anchors of its chain head. */
export class AuditStore {
  /** Appends waiting for the one in flight: written together, as one group, after it. */
  #pending: Pending[] = [];
  #flushing = false;
  /**
   * The head as this backend last wrote it, so that a lone append is one insert. If
   * anything else appended meanwhile (another replica, an append within a transaction),
   * the insert is refused at that place and the head read again.
   */
  #lastHead?: ChainHead;

  constructor(private readonly db: Knex) {}

  /**
   * Appends one row after the current head, on its own or `within` the caller's
   * transaction, and answers it as stored.
   *
   * This backend's own appends never race each other: while one is written, the next
   * ones wait and are then written together, chained in Node after the head and inserted
   * in one statement (group commit: many writers cost one round trip per group, not one
   * per row). A lone append on PostgreSQL is one statement that reads the head, computes
   * the row's place and hash and inserts it. Another replica taking a place first makes
   * the primary key on `seq` refuse the insert, and the append is retried after the new
   * head. On SQLite, the single writer, head and insert share a transaction. Appends
   * within a caller's transaction do not wait in line, since that transaction holds a
   * connection the line may be waiting for.
   */
  append(fields: AuditFields, within?: Knex.Transaction): Promise<AuditRow> {
    if (within) {
      return this.#pg
        ? this.#appendPg(fields, within)
        : this.#appendInTransaction(fields, within);
    }
    return new Promise<AuditRow>((resolve, reject) => {
      this.#pending.push({ fields, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  get #pg() {
    return this.db.client.config.client === 'pg';
  }

  async #flush() {
    this.#flushing = true;
    try {
      while (this.#pending.length) {
        const group = this.#pending.splice(0, GROUP_LIMIT);
        try {
          const rows =
            group.length === 1
              ? [await this.#appendOne(group[0].fields)]
              : await this.#appendGroup(group.map(p => p.fields));
          group.forEach((p, i) => p.resolve(rows[i]));
        } catch (error) {
          if (group.length === 1) group[0].reject(error);
          // One bad row must not fail the others: each is tried again on its own.
          else await this.#appendEach(group);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * A lone append: one insert after the head this backend last wrote. Without a known
   * head, or once another writer took the place, PostgreSQL appends with the statement
   * that reads the head itself; SQLite reads the head and inserts again.
   */
  async #appendOne(fields: AuditFields): Promise<AuditRow> {
    if (!this.#pg) return this.#appendSqlite(fields);
    if (this.#lastHead) {
      const unsealed = {
        ...fields,
        seq: this.#lastHead.seq + 1,
        prev_hash: this.#lastHead.hash,
      };
      const row = { ...unsealed, hash: hashRow(unsealed) };
      try {
        await this.db('runbook_audit').insert(row);
        this.#lastHead = { seq: row.seq, hash: row.hash };
        return row;
      } catch (error) {
        this.#lastHead = undefined;
        if (!isTakenSeq(error)) throw error;
      }
    }
    const row = await this.#appendPg(fields);
    this.#lastHead = { seq: row.seq, hash: row.hash };
    return row;
  }

  async #appendSqlite(fields: AuditFields): Promise<AuditRow> {
    for (let attempt = 1; ; attempt++) {
      const head = this.#lastHead ?? (await this.head());
      const unsealed = {
        ...fields,
        seq: (head?.seq ?? 0) + 1,
        prev_hash: head?.hash ?? GENESIS_HASH,
      };
      const row = { ...unsealed, hash: hashRow(unsealed) };
      try {
        await this.db('runbook_audit').insert(row);
        this.#lastHead = { seq: row.seq, hash: row.hash };
        return row;
      } catch (error) {
        this.#lastHead = undefined;
        if (!isTakenSeq(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async #appendEach(group: Pending[]) {
    for (const p of group) {
      try {
        p.resolve(await this.#appendOne(p.fields));
      } catch (error) {
        p.reject(error);
      }
    }
  }

  /** Chains `group` after the head in Node and inserts it in one statement. */
  async #appendGroup(group: AuditFields[]): Promise<AuditRow[]> {
    const write = async (trx: Knex | Knex.Transaction) => {
      const head = await this.head(trx);
      let seq = head?.seq ?? 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const rows = group.map(fields => {
        seq += 1;
        const unsealed = { ...fields, seq, prev_hash: prevHash };
        prevHash = hashRow(unsealed);
        return { ...unsealed, hash: prevHash };
      });
      await trx('runbook_audit').insert(rows);
      return rows;
    };
    this.#lastHead = undefined;
    const remember = (rows: AuditRow[]) => {
      const last = rows[rows.length - 1];
      this.#lastHead = { seq: last.seq, hash: last.hash };
      return rows;
    };
    if (!this.#pg) return remember(await this.db.transaction(write));
    for (let attempt = 1; ; attempt++) {
      try {
        return remember(await write(this.db));
      } catch (error) {
        if (!isTakenSeq(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise(r => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  async #appendPg(
    fields: AuditFields,
    within?: Knex.Transaction,
  ): Promise<AuditRow> {
    const [before, middle, after] = canonicalPieces(fields);
    const bindings = [
      GENESIS_HASH,
      fields.at,
      fields.event,
      fields.actor,
      fields.entity_ref,
      fields.action,
      fields.run_id,
      fields.outcome,
      fields.params,
      fields.summary,
      fields.duration_ms,
      before,
      middle,
      after,
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        // Within the caller's transaction a refused insert must not abort it: a savepoint.
        const result = within
          ? await within.transaction(sp => sp.raw(APPEND_SQL, bindings))
          : await this.db.raw(APPEND_SQL, bindings);
        const [placed] = result.rows as Array<{
          seq: string;
          prev_hash: string;
          hash: string;
        }>;
        const row = {
          ...fields,
          seq: Number(placed.seq),
          prev_hash: placed.prev_hash,
        };
        if (hashRow(row) !== placed.hash) {
          throw new Error(
            `audit row ${row.seq} was hashed differently by the database; the chain needs a look`,
          );
        }
        return { ...row, hash: placed.hash };
      } catch (error) {
        if (!isTakenSeq(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise(r => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  #appendInTransaction(
    fields: AuditFields,
    within?: Knex.Transaction,
  ): Promise<AuditRow> {
    const appendIn = async (trx: Knex.Transaction) => {
      const head = await this.head(trx);
      const unsealed = {
        ...fields,
        seq: (head?.seq ?? 0) + 1,
        prev_hash: head?.hash ?? GENESIS_HASH,
      };
      const row = { ...unsealed, hash: hashRow(unsealed) };
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

  /**
   * On PostgreSQL, checks the whole chain in the database, without sending a row: the
   * number of rows when every row, link and anchor is sound, else (or on SQLite)
   * `undefined`, and the caller walks the rows to say what is wrong where.
   */
  async verifyInDatabase(
    anchors: ChainHead[],
  ): Promise<{ checked: number } | undefined> {
    if (this.db.client.config.client !== 'pg') return undefined;
    const result = await this.db.raw(VERIFY_SQL, [GENESIS_HASH]);
    const [{ checked, broken }] = result.rows as Array<{
      checked: string;
      broken: string;
    }>;
    if (Number(broken) !== 0) return undefined;
    if (anchors.length) {
      const anchored = await this.db('runbook_audit')
        .whereIn(
          'seq',
          anchors.map(a => a.seq),
        )
        .select('seq', 'hash');
      const hashes = new Map(anchored.map(r => [Number(r.seq), r.hash]));
      if (anchors.some(a => hashes.get(a.seq) !== a.hash)) return undefined;
    }
    return { checked: Number(checked) };
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
