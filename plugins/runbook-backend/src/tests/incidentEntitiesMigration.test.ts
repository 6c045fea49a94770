import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

const directory = resolvePackagePath(
  '@nexus-cos/plugin-runbook-backend',
  'migrations',
);
const MIGRATION = '20261204_scale_incident_entities.js';
const before = fs
  .readdirSync(directory)
  .filter(f => f.endsWith('.js'))
  .sort()
  .filter(f => f < MIGRATION);

describe('incident history migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    "copies each incident's detection, severity, phase and times to the entities it affects, and back out, on %p",
    async id => {
      const knex = await databases.init(id);
      for (const name of before) await knex.migrate.up({ directory, name });
      await knex('runbook_incidents').insert({
        id: 'i1',
        title: 't',
        severity: 'P1',
        status: 'detected',
        reporter: 'user:default/alice',
        source: 'manual',
        detected_at: 2 ** 42,
        acknowledged_at: 2 ** 42 + 5,
        respond_by: 2 ** 42 + 1,
      });
      await knex('runbook_incident_entities').insert([
        { incident_id: 'i1', entity_ref: 'component:default/a' },
        { incident_id: 'i1', entity_ref: 'component:default/b' },
      ]);
      await knex.migrate.up({ directory, name: MIGRATION });
      const rows = await knex('runbook_incident_entities').orderBy(
        'entity_ref',
      );
      expect(
        rows.map(r => [
          Number(r.detected_at),
          r.severity,
          r.status,
          Number(r.acknowledged_at),
          r.resolved_at,
        ]),
      ).toEqual([
        [2 ** 42, 'P1', 'detected', 2 ** 42 + 5, null],
        [2 ** 42, 'P1', 'detected', 2 ** 42 + 5, null],
      ]);
      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn('runbook_incident_entities', 'detected_at'),
      ).toBe(false);
      expect(await knex('runbook_incident_entities').count({ n: '*' })).toEqual(
        [{ n: id === 'POSTGRES_15' ? '2' : 2 }],
      );
      await knex.destroy();
    },
  );
});
