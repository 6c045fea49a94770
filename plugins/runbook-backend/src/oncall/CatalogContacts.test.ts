import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { upcomingOnCallShifts } from '@nexus-cos/plugin-runbook-common';
import { CatalogContacts } from './CatalogContacts';
import { OrgSnapshot } from './OrgSnapshot';

/** Weekly, handing over Mondays at 09:00 Berlin: alice from 2026-01-05, then bob, carol. */
const team = (rotation = 'alice,bob,carol'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-media',
    annotations: {
      'nexus-cos.io/oncall-rotation': rotation,
      'nexus-cos.io/oncall-start': '2026-01-05',
      'nexus-cos.io/oncall-handover': '09:00',
      'nexus-cos.io/oncall-period': 'P1W',
      'nexus-cos.io/oncall-timezone': 'Europe/Berlin',
    },
  },
  spec: { type: 'team', children: [] },
});

describe('CatalogContacts', () => {
  const catalog = catalogServiceMock({ entities: [] });
  const deps = {
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  };
  const contacts = new CatalogContacts({
    ...deps,
    org: new OrgSnapshot({ ...deps, refreshMs: 60_000 }),
  });

  it('computes a rotation once per shift, and again at the hand-over or when it changes', async () => {
    const monday = new Date('2026-01-12T10:00:00+01:00'); // bob's week
    const first = await contacts.shifts(team(), monday, 3);
    expect(first).toEqual(upcomingOnCallShifts(team(), monday, 3));
    expect(first.map(s => s.userRef)).toEqual([
      'user:default/bob',
      'user:default/carol',
      'user:default/alice',
    ]);
    // Later in the same shift: the same shifts, not computed again.
    const friday = new Date('2026-01-16T18:00:00+01:00');
    expect(await contacts.shifts(team(), friday, 3)).toBe(first);
    // Past the hand-over: the next shift first.
    const next = await contacts.shifts(
      team(),
      new Date('2026-01-19T09:00:00+01:00'),
      3,
    );
    expect(next[0].userRef).toBe('user:default/carol');
    // A changed rotation is read anew, within the same shift too.
    const changed = await contacts.shifts(team('dave,erin'), friday, 1);
    expect(changed).toEqual(upcomingOnCallShifts(team('dave,erin'), friday, 1));
    expect(await contacts.shifts(team(), friday, 1)).toEqual(
      upcomingOnCallShifts(team(), friday, 1),
    );
  });
});
