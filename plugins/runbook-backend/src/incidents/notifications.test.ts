import { Entity } from '@backstage/catalog-model';
import {
  ALICE,
  ENTITIES,
  as,
  startIncidentBackend,
} from './__testUtils__/incidentBackend';

jest.setTimeout(60_000);

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

/** Who is in which Group, as the catalog's relations say (the mock computes none). */
const MEMBERS: Record<string, string[]> = {
  'team-a': ['alice', 'carol'],
  'team-b': ['bob'],
  'platform-lead': ['lena'],
  devops: ['dan'],
  'database-admin': ['erin'],
};

const WITH_MEMBERS: Entity[] = [
  ...ENTITIES.map(e =>
    e.kind === 'Group'
      ? {
          ...e,
          relations: (MEMBERS[e.metadata.name] ?? []).map(m => ({
            type: 'hasMember',
            targetRef: `user:default/${m}`,
          })),
        }
      : e,
  ),
  ...Object.values(MEMBERS).flat().map(user),
];

describe('incident notifications through the real notifications backend', () => {
  it("reach the owner team's members, the on-call and, for P0, every level of the chain", async () => {
    const { backend, http } = await startIncidentBackend({
      entities: WITH_MEMBERS,
      notificationsBackend: true,
      // P2 is due 0.6 s after detection, so it escalates to the chain's first level.
      config: { severities: { P2: { respondWithinMinutes: 0.01 } } },
    });
    const inbox = async (name: string) => {
      const res = await http
        .get('/api/notifications/notifications')
        .set(as(`user:default/${name}`));
      expect(res.status).toBe(200);
      return (res.body.notifications as Array<{ payload: { title: string } }>)
        .map(n => n.payload.title)
        .sort();
    };
    try {
      const p0 = await http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send({
          title: 'Checkout down',
          severity: 'P0',
          entityRefs: ['component:default/payments'],
        });
      expect(p0.status).toBe(201);
      await http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send({
          title: 'Checkout slow',
          severity: 'P2',
          entityRefs: ['component:default/payments'],
        });

      const declaredP0 = '[P0] Incident declared: Checkout down';
      const declaredP2 = '[P2] Incident declared: Checkout slow';
      const escalatedP2 = '[P2] Incident escalated: Checkout slow';
      const deadline = Date.now() + 20_000;
      while (
        !(await inbox('lena')).includes(escalatedP2) &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 200));
      }

      expect(await inbox('alice')).toEqual([declaredP0, declaredP2]);
      expect(await inbox('carol')).toEqual([declaredP0, declaredP2]);
      expect(await inbox('lena')).toEqual([declaredP0, escalatedP2]);
      expect(await inbox('dan')).toContain(declaredP0);
      expect(await inbox('erin')).toContain(declaredP0);
      expect(await inbox('bob')).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
