import { TestDatabases } from '@backstage/backend-test-utils';

// TestDatabases silently drops PostgreSQL when CI is unset, and tries Docker (absent here)
// when CI is set without a connection string. `make test` sets both; this guard makes a
// run without PostgreSQL fail loudly instead of passing on SQLite alone.
describe('test databases', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('include PostgreSQL 15 whenever CI is set', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    expect(ids.includes('POSTGRES_15')).toBe(Boolean(process.env.CI));
  });

  it.each(databases.eachSupportedId())(
    '%s answers queries',
    async id => {
      const knex = await databases.init(id);
      const result = await knex.raw('select 1 + 1 as two');
      const rows = Array.isArray(result) ? result : result.rows;
      expect(Number(rows[0].two)).toBe(2);
    },
    60_000,
  );
});
