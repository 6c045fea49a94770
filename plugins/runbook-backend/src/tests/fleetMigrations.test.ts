import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const directory = resolvePackagePath(
  '@nexus-cos/plugin-runbook-backend',
  'migrations',
);

describe('fleet run migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'goes up and down on %p, leaving the engine tables alone',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.up({ directory, name: '20261126_runbook_engine.js' });
      await knex.migrate.up({ directory, name: '20261202_fleet_runs.js' });
      await knex('runbook_fleet_runs').insert({
        id: 'f1',
        scope_ref: 'system:default/media',
        action: 'stop-all',
        status: 'running',
        actor: 'user:default/alice',
        input: '{"gracePeriodSeconds":60}',
        owner: 'o',
        lease_expires_at: 2 ** 42,
        created_at: 2 ** 42,
      });
      await knex('runbook_fleet_children').insert([
        {
          fleet_id: 'f1',
          position: 0,
          entity_ref: 'component:default/a',
          depth: 0,
          status: 'running',
          run_id: 'r1',
        },
        {
          fleet_id: 'f1',
          position: 1,
          entity_ref: 'component:default/b',
          depth: 1,
          status: 'skipped',
          reason: 'already stopped',
        },
      ]);
      const row = await knex('runbook_fleet_runs').first();
      expect(Number(row.lease_expires_at)).toBe(2 ** 42);
      expect(Boolean(row.cancel_requested)).toBe(false);
      // One row per position: a plan never holds two services at one place. (The
      // error is matched by its text: SQLite's comes from another realm under Jest.)
      const duplicate = await knex('runbook_fleet_children')
        .insert({
          fleet_id: 'f1',
          position: 1,
          entity_ref: 'component:default/c',
          depth: 1,
          status: 'not-started',
        })
        .then(
          () => 'inserted',
          (error: unknown) => String(error),
        );
      expect(duplicate).toMatch(/UNIQUE constraint failed|duplicate key/);
      // Deleting a fleet run takes its children along.
      await knex('runbook_fleet_runs').delete();
      expect(
        Number((await knex('runbook_fleet_children').count({ n: '*' }))[0].n),
      ).toBe(0);

      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('runbook_fleet_runs')).toBe(false);
      expect(await knex.schema.hasTable('runbook_fleet_children')).toBe(false);
      expect(await knex.schema.hasTable('runbook_runs')).toBe(true);
      await knex.destroy();
    },
  );
});
