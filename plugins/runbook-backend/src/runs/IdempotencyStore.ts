import { Knex } from 'knex';

/** What an Idempotency-Key was first used for. */
export type IdempotencyRecord = { requestHash: string; runId: string };

/** Idempotency keys, scoped per actor as Stripe scopes them per account. */
export class IdempotencyStore {
  constructor(private readonly db: Knex) {}

  async find(
    actor: string,
    key: string,
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<IdempotencyRecord | undefined> {
    const row = await trx('runbook_idempotency').where({ actor, key }).first();
    return row && { requestHash: row.request_hash, runId: row.run_id };
  }

  /** Records the key unless it exists; returns whichever record holds the key now. */
  async claim(
    trx: Knex.Transaction,
    actor: string,
    key: string,
    record: IdempotencyRecord,
    now: number,
  ): Promise<IdempotencyRecord> {
    await trx('runbook_idempotency')
      .insert({
        actor,
        key,
        request_hash: record.requestHash,
        run_id: record.runId,
        created_at: now,
      })
      .onConflict(['actor', 'key'])
      .ignore();
    return (await this.find(actor, key, trx))!;
  }

  /** Forgets keys older than `before` (epoch ms). */
  async deleteOlderThan(before: number): Promise<number> {
    return this.db('runbook_idempotency')
      .where('created_at', '<', before)
      .delete();
  }
}
