import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditRow, ChainHead } from './AuditStore';

/** `prev_hash` of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** RFC 8785 canonical JSON; `undefined` values are left out rather than guessed. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

/** The columns of a row that its position in the chain does not decide. */
export type AuditFields = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/** RFC 8785 of a string, a number or null: what JSON.stringify writes for each. */
const json = (value: string | number | null) =>
  value === null ? 'null' : JSON.stringify(value);

/**
 * A row's canonical JSON in the three pieces around its `prev_hash` and `seq` values,
 * so that the database can complete it once it knows the row's place in the chain:
 * `before + prev_hash + middle + seq + after`. The stored columns are strings, integers
 * and nulls, in RFC 8785's key order (UTF-16 order of the names), so the pieces are
 * written directly: exactly what {@link canonicalJson} gives for the row, without a
 * generic walk per row, which a verification of a million rows would feel.
 */
export function canonicalPieces(f: AuditFields): [string, string, string] {
  return [
    `{"action":${json(f.action)},"actor":${json(f.actor)},"at":${json(
      f.at,
    )},"duration_ms":${json(f.duration_ms)},"entity_ref":${json(
      f.entity_ref,
    )},"event":${json(f.event)},"outcome":${json(f.outcome)},"params":${json(
      f.params,
    )},"prev_hash":"`,
    `","run_id":${json(f.run_id)},"seq":`,
    `,"summary":${json(f.summary)}}`,
  ];
}

/** RFC 8785 canonical JSON of every stored column of a row except `hash`. */
export function canonicalRow(row: Omit<AuditRow, 'hash'>): string {
  const [before, middle, after] = canonicalPieces(row);
  return `${before}${row.prev_hash}${middle}${row.seq}${after}`;
}

/** `sha256(prev_hash || canonical(row))` over every stored column except `hash`. */
export function hashRow(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(row.prev_hash)
    .update(canonicalRow(row))
    .digest('hex');
}

/** Walks rows in `seq` order, one page at a time, checking links and hashes. */
export class ChainVerifier {
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #hashes = new Map<number, string>();
  checked = 0;
  broken?: { seq: number; problem: string };

  constructor(private readonly anchors: ChainHead[]) {
    for (const anchor of anchors) this.#hashes.set(anchor.seq, anchor.hash);
  }

  /** Returns false once the chain is broken; later rows are not looked at. */
  add(row: AuditRow): boolean {
    if (this.broken) return false;
    if (row.seq !== this.#expectedSeq) {
      return this.#break(
        this.#expectedSeq,
        `row ${this.#expectedSeq} is missing`,
      );
    }
    if (row.prev_hash !== this.#prevHash) {
      return this.#break(row.seq, 'prev_hash does not match the previous row');
    }
    const { hash, ...rest } = row;
    if (hashRow(rest) !== hash) {
      return this.#break(row.seq, 'hash does not match the row');
    }
    const anchored = this.#hashes.get(row.seq);
    if (anchored !== undefined && anchored !== hash) {
      return this.#break(row.seq, 'hash differs from the anchored head');
    }
    this.checked += 1;
    this.#expectedSeq += 1;
    this.#prevHash = hash;
    return true;
  }

  /** Ends the walk: an anchor beyond the last row means rows were cut off. */
  finish(): {
    ok: boolean;
    checked: number;
    firstBrokenSeq?: number;
    problem?: string;
  } {
    if (!this.broken) {
      const beyond = this.anchors.find(a => a.seq >= this.#expectedSeq);
      if (beyond)
        this.#break(this.#expectedSeq, `anchored row ${beyond.seq} is missing`);
    }
    return this.broken
      ? {
          ok: false,
          checked: this.checked,
          firstBrokenSeq: this.broken.seq,
          problem: this.broken.problem,
        }
      : { ok: true, checked: this.checked };
  }

  #break(seq: number, problem: string): false {
    this.broken = { seq, problem };
    return false;
  }
}
