import { TestDatabases } from '@backstage/backend-test-utils';
import { RunbookClient } from '@nexus-cos/plugin-runbook-common';
import { AddressInfo } from 'node:net';
import {
  ALICE,
  as,
  startIncidentBackend,
} from './__testUtils__/incidentBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A client of the backend that calls as Alice. */
function clientOf(backend: { server: { address(): unknown } }) {
  const { port } = backend.server.address() as AddressInfo;
  return new RunbookClient({
    discoveryApi: {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/runbook`,
    },
    fetchApi: {
      fetch: (url, init) =>
        fetch(url, {
          ...init,
          headers: { ...(init?.headers as object), ...as(ALICE) },
        }),
    },
  });
}

describe('RunbookClient against the incident API', () => {
  it('declares, acknowledges, resolves and counts', async () => {
    const knex = await databases.init('SQLITE_3');
    const { backend } = await startIncidentBackend({ knex });
    try {
      const client = clientOf(backend);
      const incident = await client.declareIncident({
        title: 'Uploads fail',
        severity: 'P3',
        entityRefs: ['component:default/payments'],
      });
      await client.acknowledgeIncident(incident.id);
      await client.updateIncident(incident.id, { status: 'resolved' });
      await client.addIncidentTimelineEntry(incident.id, {
        message: 'Fixed by restart',
      });
      const written = await client.writePostMortem(incident.id, {
        timeline: [],
        rootCause: 'Disk full',
        actionItems: [],
      });
      expect(written.status).toBe('post-mortem');
      const { items } = await client.listIncidents({
        entity: 'component:default/payments',
      });
      expect(items.map(i => i.id)).toEqual([incident.id]);
      const stats = await client.getIncidentStats('component:default/payments');
      expect(stats).toMatchObject({ total: 1, open: 0, bySeverity: { P3: 1 } });
      await expect(
        client.getIncident('00000000-0000-0000-0000-000000000000'),
      ).rejects.toMatchObject({
        statusCode: 404,
      });
    } finally {
      await backend.stop();
    }
  });

  it('lists the incidents of several entities, and none of an empty list', async () => {
    const knex = await databases.init('SQLITE_3');
    const { backend } = await startIncidentBackend({ knex });
    try {
      const client = clientOf(backend);
      const declare = (ref: string) =>
        client.declareIncident({
          title: 'Slow',
          severity: 'P3',
          entityRefs: [ref],
        });
      const payments = await declare('component:default/payments');
      const ledger = await declare('component:default/ledger');
      await declare('system:default/pay');

      const { items } = await client.listIncidents({
        entity: ['component:default/payments', 'component:default/ledger'],
      });
      expect(items.map(i => i.id).sort()).toEqual(
        [payments.id, ledger.id].sort(),
      );
      expect(await client.listIncidents({ entity: [] })).toEqual({ items: [] });
    } finally {
      await backend.stop();
    }
  });
});
