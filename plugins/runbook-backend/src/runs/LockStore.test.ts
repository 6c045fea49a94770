import { TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../migrations';
import { LockStore } from './LockStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ENTITY = 'component:default/payments';

describe.each(databases.eachSupportedId())('LockStore on %p', id => {
  it('holds one run per entity until it expires, and lets a claimer fence the old owner out', async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    const locks = new LockStore(knex);
    const a = {
      entityRef: ENTITY,
      runId: 'run-a',
      owner: 'backend-1',
      expiresAt: 1_000,
    };
    const b = {
      entityRef: ENTITY,
      runId: 'run-b',
      owner: 'backend-2',
      expiresAt: 2_000,
    };

    const first = await knex.transaction(trx => locks.acquire(trx, a, 500));
    expect(first).toEqual({ acquired: true, holder: a });
    const blocked = await knex.transaction(trx => locks.acquire(trx, b, 900));
    expect(blocked).toEqual({ acquired: false, holder: a });
    expect(await locks.claimExpired('janitor', 900, 5_000)).toEqual([]);

    const claimed = await locks.claimExpired('janitor', 1_001, 5_000);
    expect(claimed).toEqual([{ ...a, owner: 'janitor', expiresAt: 5_000 }]);
    expect(await locks.renew(a, 9_000)).toBe(false);
    await locks.release(a);
    expect(await locks.holder(ENTITY)).toMatchObject({ owner: 'janitor' });

    await locks.release({
      entityRef: ENTITY,
      runId: 'run-a',
      owner: 'janitor',
    });
    expect(await locks.holder(ENTITY)).toBeUndefined();
    const next = await knex.transaction(trx => locks.acquire(trx, b, 1_500));
    expect(next.acquired).toBe(true);
    await knex.destroy();
  });
});
