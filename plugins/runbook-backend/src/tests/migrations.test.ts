import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

const directory = resolvePackagePath(
  '@nexus-cos/plugin-runbook-backend',
  'migrations',
);
const migrations = fs
  .readdirSync(directory)
  .filter(f => f.endsWith('.js'))
  .sort();
const TABLES = [
  'runbook_runs',
  'runbook_run_log',
  'runbook_locks',
  'runbook_idempotency',
  'runbook_audit',
  'runbook_audit_anchors',
  'runbook_backups',
  'runbook_maintenance_items',
  'runbook_maintenance_notices',
];

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('has PostgreSQL available when CI expects it', () => {
    const expected = process.env.CI ? ['POSTGRES_15'] : [];
    const available = databases.eachSupportedId().map(([id]) => id);
    expect(available.filter(id => id === 'POSTGRES_15')).toEqual(expected);
  });

  it.each(databases.eachSupportedId())(
    'walks every migration up and down on %p',
    async id => {
      const knex = await databases.init(id);
      for (const name of migrations) {
        await knex.migrate.up({ directory, name });
      }
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      await knex('runbook_locks').insert({
        entity_ref: 'component:default/a',
        run_id: 'r1',
        owner: 'o',
        expires_at: 2 ** 42,
      });
      expect(Number((await knex('runbook_locks').first()).expires_at)).toBe(
        2 ** 42,
      );
      for (const _ of migrations) {
        await knex.migrate.down({ directory });
      }
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await knex.destroy();
    },
  );
});
