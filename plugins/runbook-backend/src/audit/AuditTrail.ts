import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { NotAllowedError } from '@backstage/errors';
import {
  AuditEventType,
  AuditFilter,
  AuditOrder,
  AuditPage,
  AuditRecord,
  AuditSeverity,
  AuditVerifyResult,
  higherAuditSeverity,
} from '@nexus-cos/plugin-runbook-common';
import { AuditRow, AuditStore, ChainHead } from './AuditStore';
import { ChainVerifier, canonicalJson } from './chain';
import { redact, redactText } from './redact';

/** One event to append. */
export type AuditEntry = {
  event: AuditEventType;
  actor: string;
  entityRef: string;
  action: string;
  runId?: string;
  outcome: string;
  params?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  durationMs?: number;
  /**
   * Raised above the default by an action's guard (an in-place restore is `critical`):
   * kept in the row's summary and given to the auditor.
   */
  severity?: AuditSeverity;
};

const PAGE = 500;
/** Rows a verification reads at once: a million rows in 200 reads. */
const VERIFY_PAGE = 5000;

const toRecord = (row: AuditRow): AuditRecord => ({
  seq: row.seq,
  at: row.at,
  event: row.event as AuditEventType,
  actor: row.actor,
  entityRef: row.entity_ref,
  action: row.action,
  runId: row.run_id,
  outcome: row.outcome,
  params: JSON.parse(row.params),
  summary: JSON.parse(row.summary),
  durationMs: row.duration_ms,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const CSV_COLUMNS: Array<keyof AuditRow> = [
  'seq',
  'at',
  'event',
  'actor',
  'entity_ref',
  'action',
  'run_id',
  'outcome',
  'params',
  'summary',
  'duration_ms',
  'prev_hash',
  'hash',
];

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The hash-chained audit trail. Each event goes to the table and to the auditor service;
 * the chain head is anchored outside the table (logger and auditor) so that rewriting the
 * whole table is detectable.
 */
export class AuditTrail {
  constructor(
    private readonly options: {
      store: AuditStore;
      auditor: AuditorService;
      logger: LoggerService;
      anchorEvery: number;
    },
  ) {}

  async record(entry: AuditEntry): Promise<AuditRecord> {
    const { record, publish } = await this.recordWithin(undefined, entry);
    await publish();
    return record;
  }

  /**
   * Appends the row within the caller's transaction, so that it commits with the change
   * it records; `publish` sends it to the auditor (and anchors) once that committed.
   */
  async recordWithin(
    trx: Knex.Transaction | undefined,
    entry: AuditEntry,
  ): Promise<{ record: AuditRecord; publish: () => Promise<void> }> {
    const params = canonicalJson(redact(entry.params ?? {}));
    const summary = canonicalJson(
      redact({
        ...entry.summary,
        ...(entry.severity ? { severity: entry.severity } : {}),
      }),
    );
    const at = new Date().toISOString();
    const row = await this.options.store.append(
      {
        at,
        event: entry.event,
        actor: entry.actor,
        entity_ref: entry.entityRef,
        action: entry.action,
        run_id: entry.runId ?? null,
        outcome: redactText(entry.outcome),
        params,
        summary,
        duration_ms:
          entry.durationMs === undefined ? null : Math.round(entry.durationMs),
      },
      trx,
    );
    const record = toRecord(row);
    return {
      record,
      publish: async () => {
        await this.#sendToAuditor(record, entry.severity);
        if (row.seq % this.options.anchorEvery === 0) {
          await this.#anchor({ seq: row.seq, hash: row.hash });
        }
      },
    };
  }

  /** Anchors the head unless it already is; run on a schedule. */
  async anchorHead(): Promise<void> {
    const head = await this.options.store.head();
    if (!head) return;
    const anchors = await this.options.store.anchors();
    if (anchors.at(-1)?.seq !== head.seq) await this.#anchor(head);
  }

  async list(
    filter: AuditFilter,
    cursor: number,
    limit: number,
    order: AuditOrder = 'asc',
  ): Promise<AuditPage> {
    const rows = await this.options.store.list(
      filter,
      cursor,
      limit + 1,
      order,
    );
    const items = rows.slice(0, limit).map(toRecord);
    return {
      items,
      nextCursor: rows.length > limit ? String(items.at(-1)!.seq) : undefined,
    };
  }

  /** Yields the matching rows as JSON lines or CSV (with a header line). */
  async *export(
    filter: AuditFilter,
    format: 'jsonl' | 'csv',
  ): AsyncGenerator<string> {
    if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
    for (let cursor = 0; ; ) {
      const rows = await this.options.store.list(filter, cursor, PAGE);
      for (const row of rows) {
        yield format === 'csv'
          ? `${CSV_COLUMNS.map(c => csvCell(row[c])).join(',')}\n`
          : `${JSON.stringify(toRecord(row))}\n`;
      }
      if (rows.length < PAGE) return;
      cursor = rows.at(-1)!.seq;
    }
  }

  /**
   * Checks every link and hash, and the stored anchors plus any `extraAnchors` taken
   * from outside the database (the log or the auditor's sink).
   */
  async verify(extraAnchors: ChainHead[] = []): Promise<AuditVerifyResult> {
    const anchors = [...(await this.options.store.anchors()), ...extraAnchors];
    // PostgreSQL checks a sound chain by itself; a broken one is walked to say where.
    const sound = await this.options.store.verifyInDatabase(anchors);
    if (sound) {
      return { ok: true, checked: sound.checked, anchorsChecked: anchors.length };
    }
    const verifier = new ChainVerifier(anchors);
    const page = (cursor: number) =>
      this.options.store.list({}, cursor, VERIFY_PAGE);
    // The next page is read while this one is hashed.
    for (let next = page(0); ; ) {
      const rows = await next;
      const more = rows.length === VERIFY_PAGE;
      if (more) {
        next = page(rows.at(-1)!.seq);
        next.catch(() => undefined);
      }
      if (!rows.every(row => verifier.add(row)) || !more) break;
    }
    return { ...verifier.finish(), anchorsChecked: anchors.length };
  }

  async #anchor(head: ChainHead): Promise<void> {
    const at = new Date().toISOString();
    await this.options.store.addAnchor(head, at);
    this.options.logger.info(
      `runbook audit anchor seq=${head.seq} hash=${head.hash}`,
      {
        auditAnchorSeq: head.seq,
        auditAnchorHash: head.hash,
      },
    );
    const event = await this.options.auditor.createEvent({
      eventId: 'audit-anchor',
      meta: { seq: head.seq, hash: head.hash, at },
    });
    await event.success();
  }

  async #sendToAuditor(
    record: AuditRecord,
    raised: AuditSeverity | undefined,
  ): Promise<void> {
    const usual = record.event === 'denied' ? 'high' : 'medium';
    const event = await this.options.auditor.createEvent({
      eventId: `run-${record.event}`,
      severityLevel: raised ? higherAuditSeverity(usual, raised) : usual,
      meta: {
        seq: record.seq,
        actor: record.actor,
        entityRef: record.entityRef,
        action: record.action,
        runId: record.runId,
        outcome: record.outcome,
        params: record.params as Record<string, never>,
        summary: record.summary as Record<string, never>,
        durationMs: record.durationMs,
      },
    });
    if (record.event === 'denied') {
      await event.fail({ error: new NotAllowedError(record.outcome) });
    } else if (record.event === 'failed') {
      await event.fail({ error: new Error(record.outcome) });
    } else {
      await event.success();
    }
  }
}
