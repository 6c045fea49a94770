import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

const directory = resolvePackagePath(
  '@nexus-cos/plugin-runbook-backend',
  'migrations',
);
const TABLES = [
  'runbook_incidents',
  'runbook_incident_entities',
  'runbook_incident_timeline',
];

describe('incident migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'goes up and down on %p, leaving the engine tables alone',
    async id => {
      const knex = await databases.init(id);
      await knex.migrate.up({ directory, name: '20261126_runbook_engine.js' });
      await knex.migrate.up({ directory, name: '20261127_incidents.js' });
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      await knex('runbook_incidents').insert({
        id: 'i1',
        title: 't',
        severity: 'P1',
        status: 'detected',
        reporter: 'user:default/alice',
        source: 'manual',
        detected_at: 2 ** 42,
        respond_by: 2 ** 42 + 1,
      });
      await knex('runbook_incident_entities').insert({
        incident_id: 'i1',
        entity_ref: 'component:default/a',
      });
      const row = await knex('runbook_incidents').first();
      expect(Number(row.respond_by)).toBe(2 ** 42 + 1);
      expect(row.escalation_level).toBe(0);
      // Deleting an incident takes its entities and timeline along.
      await knex('runbook_incidents').delete();
      expect(
        Number(
          (await knex('runbook_incident_entities').count({ n: '*' }))[0].n,
        ),
      ).toBe(0);

      await knex.migrate.down({ directory });
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      expect(await knex.schema.hasTable('runbook_runs')).toBe(true);
      await knex.destroy();
    },
  );
});
