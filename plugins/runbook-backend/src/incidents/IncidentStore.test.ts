import { TestDatabases } from '@backstage/backend-test-utils';
import { IncidentStatus } from '@nexus-cos/plugin-runbook-common';
import { applyDatabaseMigrations } from '../migrations';
import { IncidentStore } from './IncidentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const A = 'component:default/a';
const B = 'component:default/b';
const C = 'component:default/c';

describe.each(databases.eachSupportedId())(
  'IncidentStore on %p',
  databaseId => {
    let store: IncidentStore;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      store = new IncidentStore(knex);
      // i-00 oldest ... i-11 newest; every third affects b as well as its own entity.
      for (let i = 0; i < 12; i++) {
        await store.insert({
          id: `00000000-0000-0000-0000-0000000000${String(i).padStart(2, '0')}`,
          title: `incident ${i}`,
          severity: 'P2',
          reporter: 'user:default/alice',
          source: 'manual',
          entityRefs: i % 3 === 0 ? [[A, C][i % 2], B] : [[A, C][i % 2]],
          detectedAt: 1_800_000_000_000 + i * 60_000,
          respondBy: 1_800_000_000_000 + i * 60_000 + 7_200_000,
          escalationLevel: 0,
        });
      }
      await store.update(
        '00000000-0000-0000-0000-000000000010',
        {},
        { status: 'resolved' as IncidentStatus, resolvedAt: 1_800_001_000_000 },
      );
    });

    const titles = (items: Array<{ title: string }>) => items.map(i => i.title);

    it("lists an entity's newest incidents first, as many as asked", async () => {
      expect(titles(await store.list({ entityRefs: [A] }, 3))).toEqual([
        'incident 10',
        'incident 8',
        'incident 6',
      ]);
      expect(titles(await store.list({ entityRefs: [B] }, 100))).toEqual([
        'incident 9',
        'incident 6',
        'incident 3',
        'incident 0',
      ]);
    });

    it('lists an incident of several of the entities once, with all it affects', async () => {
      const items = await store.list({ entityRefs: [A, B] }, 4);
      expect(titles(items)).toEqual([
        'incident 10',
        'incident 9',
        'incident 8',
        'incident 6',
      ]);
      expect(items.find(i => i.title === 'incident 6')!.entityRefs).toEqual([
        A,
        B,
      ]);
    });

    it('filters by phase and severity as before', async () => {
      expect(
        titles(
          await store.list({ entityRefs: [A], statuses: ['resolved'] }, 100),
        ),
      ).toEqual(['incident 10']);
      expect(
        await store.list({ entityRefs: [A], severity: 'P0' }, 100),
      ).toEqual([]);
    });

    it('keeps the entity rows of an incident in step with its changes', async () => {
      const id = '00000000-0000-0000-0000-000000000009';
      await store.update(
        id,
        { status: 'detected' },
        {
          severity: 'P0',
          status: 'assessing',
          acknowledgedAt: 1_800_000_900_000,
        },
      );
      // A compare-and-set that does not apply changes nothing, here or there.
      expect(
        await store.update(id, { status: 'detected' }, { severity: 'P3' }),
      ).toBe(false);
      // i-09 is the only incident of c and b that is not P2 and detected.
      for (const ref of [C, B]) {
        expect(
          (await store.tallyFor(ref)).find(t => t.severity === 'P0'),
        ).toEqual({
          severity: 'P0',
          status: 'assessing',
          count: 1,
          acknowledged: {
            count: 1,
            sumMs: 1_800_000_900_000 - (1_800_000_000_000 + 9 * 60_000),
          },
          resolved: { count: 0, sumMs: 0 },
        });
      }
    });

    it("tallies an entity's incidents by severity and phase with their times", async () => {
      // a: i-00, 02, 04, 06 and 08 detected; i-10 resolved.
      const tallies = await store.tallyFor(A);
      expect(tallies.sort((x, y) => x.status.localeCompare(y.status))).toEqual([
        {
          severity: 'P2',
          status: 'detected',
          count: 5,
          acknowledged: { count: 0, sumMs: 0 },
          resolved: { count: 0, sumMs: 0 },
        },
        {
          severity: 'P2',
          status: 'resolved',
          count: 1,
          acknowledged: { count: 0, sumMs: 0 },
          resolved: {
            count: 1,
            sumMs: 1_800_001_000_000 - (1_800_000_000_000 + 10 * 60_000),
          },
        },
      ]);
    });
  },
);
