import { Knex } from 'knex';

type LockRow = {
  entity_ref: string;
  run_id: string;
  owner: string;
  expires_at: string | number;
};

/** A held per-entity lock. */
export type Lock = {
  entityRef: string;
  runId: string;
  owner: string;
  expiresAt: number;
};

const toLock = (row: LockRow): Lock => ({
  entityRef: row.entity_ref,
  runId: row.run_id,
  owner: row.owner,
  expiresAt: Number(row.expires_at),
});

/**
 * Per-entity locks with expiry. Every change is a compare-and-set in SQL, so that backend
 * replicas sharing the database never both hold one.
 */
export class LockStore {
  constructor(private readonly db: Knex) {}

  /**
   * Takes the entity's lock for a run unless another unexpired run holds it. Returns the
   * holder either way.
   */
  async acquire(
    trx: Knex.Transaction,
    lock: Lock,
    now: number,
  ): Promise<{ acquired: boolean; holder: Lock }> {
    await trx('runbook_locks')
      .insert({
        entity_ref: lock.entityRef,
        run_id: lock.runId,
        owner: lock.owner,
        expires_at: lock.expiresAt,
      })
      .onConflict('entity_ref')
      .merge(['run_id', 'owner', 'expires_at'])
      .where('runbook_locks.expires_at', '<', now);
    const row = await trx<LockRow>('runbook_locks')
      .where({ entity_ref: lock.entityRef })
      .first();
    const holder = toLock(row!);
    return { acquired: holder.runId === lock.runId, holder };
  }

  /** Extends a lock its owner still holds; false when it expired and was claimed. */
  async renew(
    lock: Omit<Lock, 'expiresAt'>,
    expiresAt: number,
  ): Promise<boolean> {
    const updated = await this.db('runbook_locks')
      .where({
        entity_ref: lock.entityRef,
        run_id: lock.runId,
        owner: lock.owner,
      })
      .update({ expires_at: expiresAt });
    return updated === 1;
  }

  /** Frees a lock, unless another owner has claimed it since. */
  async release(
    lock: Omit<Lock, 'expiresAt'>,
    trx: Knex | Knex.Transaction = this.db,
  ): Promise<void> {
    await trx('runbook_locks')
      .where({
        entity_ref: lock.entityRef,
        run_id: lock.runId,
        owner: lock.owner,
      })
      .delete();
  }

  async holder(entityRef: string): Promise<Lock | undefined> {
    const row = await this.db<LockRow>('runbook_locks')
      .where({ entity_ref: entityRef })
      .first();
    return row && toLock(row);
  }

  /** Claims every expired lock for `owner`, one compare-and-set each. */
  async claimExpired(
    owner: string,
    now: number,
    expiresAt: number,
  ): Promise<Lock[]> {
    const expired = await this.db<LockRow>('runbook_locks').where(
      'expires_at',
      '<',
      now,
    );
    const claimed: Lock[] = [];
    for (const row of expired) {
      const updated = await this.db('runbook_locks')
        .where({
          entity_ref: row.entity_ref,
          run_id: row.run_id,
          expires_at: row.expires_at,
        })
        .update({ owner, expires_at: expiresAt });
      if (updated === 1) claimed.push({ ...toLock(row), owner, expiresAt });
    }
    return claimed;
  }
}
