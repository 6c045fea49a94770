import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  CHAIN,
  as,
  startIncidentBackend,
} from './__testUtils__/incidentBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 100));
  }
}

describe.each(databases.eachSupportedId())('escalation on %p', databaseId => {
  it('pages each level of the chain exactly once, with two backend instances', async () => {
    const knex = await databases.init(databaseId);
    // P2 is due 0.6 s after detection; both instances check every second.
    const config = {
      escalationCheckSeconds: 1,
      severities: { P2: { respondWithinMinutes: 0.01 } },
    };
    const one = await startIncidentBackend({ knex, config });
    const two = await startIncidentBackend({ knex, config });
    try {
      const declared = await one.http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send({
          title: 'Slow',
          severity: 'P2',
          entityRefs: ['component:default/payments'],
        });
      const quiet = await one.http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send({
          title: 'Seen',
          severity: 'P2',
          entityRefs: ['component:default/payments'],
        });
      await one.http
        .post(`/api/runbook/incidents/${quiet.body.id}/acknowledge`)
        .set(as(ALICE));

      const id = declared.body.id;
      await waitFor(async () => {
        const res = await two.http
          .get(`/api/runbook/incidents/${id}`)
          .set(as(ALICE));
        return res.body.escalationLevel === CHAIN.length ? res.body : undefined;
      });
      // Give both schedulers time for a few more rounds: nothing more may happen.
      await new Promise(r => setTimeout(r, 3000));

      const incident = (
        await one.http.get(`/api/runbook/incidents/${id}`).set(as(ALICE))
      ).body;
      const escalations = incident.timeline.filter(
        (t: { kind: string }) => t.kind === 'escalated',
      );
      expect(
        escalations.map(
          (t: { message: string }) => t.message.split(': escalated to ')[1],
        ),
      ).toEqual(
        CHAIN.map((g, i) => `${g} (level ${i + 1} of ${CHAIN.length})`),
      );
      const paged = [...one.sent, ...two.sent]
        .filter(n => n.payload.title.startsWith('[P2] Incident escalated'))
        .map(n => (n.recipients as { entityRef: string[] }).entityRef);
      expect(paged).toEqual(CHAIN.map(g => [g]));

      const acknowledged = (
        await one.http
          .get(`/api/runbook/incidents/${quiet.body.id}`)
          .set(as(ALICE))
      ).body;
      expect(acknowledged.escalationLevel).toBe(0);
      expect(
        acknowledged.timeline.some(
          (t: { kind: string }) => t.kind === 'escalated',
        ),
      ).toBe(false);
    } finally {
      await one.backend.stop();
      await two.backend.stop();
    }
  });
});
