import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  ESCALATION_ROLES,
  RunbookClient,
} from '@nexus-cos/plugin-runbook-common';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { runbookPlugin } from '../plugin';

jest.setTimeout(120_000);

/** The repository's Nexus COS catalog, ingested by the real catalog backend. */
const CATALOG = path.resolve(__dirname, '../../../../catalog-info.yaml');
const auth = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('on-call from the Nexus COS catalog', () => {
  let http: ReturnType<typeof request>;
  let stop: () => Promise<void>;
  let services: string[];
  let baseUrl: string;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        runbookPlugin,
        catalogBackend,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'Domain',
                    'Resource',
                    'Group',
                    'User',
                    'Location',
                  ],
                },
              ],
              locations: [{ type: 'file', target: CATALOG }],
            },
          },
        }),
      ],
    });
    http = request(backend.server);
    baseUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    stop = () => backend.stop();
    // The catalog ingests the files asynchronously; wait for all 43 services.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await http
        .get(
          '/api/catalog/entities?filter=kind=component,spec.type=service&fields=metadata.name',
        )
        .set(auth);
      services = (res.body ?? []).map((e: any) => e.metadata.name);
      const users = await http
        .get('/api/catalog/entities?filter=kind=user&fields=metadata.name')
        .set(auth);
      if (services.length === 43 && users.body.length > 0) break;
      if (Date.now() > deadline)
        throw new Error(`catalog has ${services.length} services`);
      await new Promise(r => setTimeout(r, 500));
    }
  });
  afterAll(() => stop());

  it('resolves every service to a reachable owner on call and a five-step escalation chain', async () => {
    for (const name of services) {
      const res = await http
        .get(`/api/runbook/entities/component/default/${name}/oncall`)
        .set(auth);
      expect(res.status).toBe(200);
      const { owner, escalationChain, source } = res.body;
      expect(source).toBe('catalog');
      expect(owner.problem).toBeUndefined();
      expect(owner.now.contact).toEqual({
        userRef: expect.stringMatching(/^user:default\//),
        name: expect.any(String),
        email: expect.stringMatching(/@nexus-cos\.example$/),
        phone: expect.stringMatching(/^\+\d{8,15}$/),
        chat: expect.stringMatching(/^https:\/\//),
      });
      expect(owner.next).toHaveLength(3);
      expect(Date.parse(owner.next[0].shift.start)).toBe(
        Date.parse(owner.now.shift.end),
      );
      expect(escalationChain.map((g: any) => g.role)).toEqual([
        ...ESCALATION_ROLES,
      ]);
      for (const step of escalationChain) {
        expect(step.now.contact.email).toMatch(/@nexus-cos\.example$/);
        expect(step.now.contact.phone).toMatch(/^\+\d+$/);
      }
    }
  });

  it("gives Systems and the Domain the Domain's escalation chain", async () => {
    for (const ref of ['system/default/media', 'domain/default/nexus-cos']) {
      const res = await http
        .get(`/api/runbook/entities/${ref}/oncall`)
        .set(auth);
      expect([ref, res.status]).toEqual([ref, 200]);
      expect([ref, res.body.escalationChain.map((g: any) => g.role)]).toEqual([
        ref,
        [...ESCALATION_ROLES],
      ]);
    }
  });

  const devopsAt = async (at: string) => {
    const res = await http
      .get(
        `/api/runbook/entities/component/default/media-upload/oncall?at=${encodeURIComponent(
          at,
        )}`,
      )
      .set(auth);
    expect(res.status).toBe(200);
    return res.body.escalationChain as any[];
  };

  it('hands over at the wall-clock time of the rotation time zone', async () => {
    // DevOps hands over daily at 08:00 Berlin: xavier, yasmin, wen from 2026-01-05.
    const before = await devopsAt('2026-02-10T07:59:00+01:00');
    const after = await devopsAt('2026-02-10T08:00:00+01:00');
    expect(before[1].now.contact.userRef).toBe('user:default/wen');
    expect(after[1].now.contact.userRef).toBe('user:default/xavier');
    expect(after[1].now.shift.start).toBe('2026-02-10T08:00:00+01:00');
    // Database Admin hands over weekly on Monday at 09:00 Dublin (= 10:00 Berlin).
    const dublinBefore = await devopsAt('2026-02-09T08:59:00Z');
    const dublinAfter = await devopsAt('2026-02-09T09:00:00Z');
    expect(dublinBefore[2].now.contact.userRef).toBe('user:default/quinn');
    expect(dublinAfter[2].now.contact.userRef).toBe('user:default/rosa');
  });

  it('applies overrides, also across the DST change', async () => {
    const chain = await devopsAt('2026-03-29T12:00:00+02:00');
    expect(chain[1].now.shift).toMatchObject({
      userRef: 'user:default/wen',
      source: 'override',
      reason: 'covers the DST weekend for xavier',
      start: '2026-03-28T08:00:00+01:00',
      end: '2026-03-30T08:00:00+02:00',
    });
  });

  it('answers through RunbookClient', async () => {
    const client = new RunbookClient({
      discoveryApi: { getBaseUrl: async () => `${baseUrl}/api/runbook` },
      fetchApi: {
        fetch: (url, init) =>
          fetch(url, {
            ...init,
            headers: { ...(init?.headers as object), ...auth },
          }),
      },
    });
    const at = '2026-03-29T12:00:00+02:00';
    const oncall = await client.getOnCall('component:default/media-upload', {
      at,
    });
    expect(oncall.escalationChain[1].now?.contact.userRef).toBe(
      'user:default/wen',
    );
    const overview = await client.getOnCallOverview({ at });
    expect(
      overview.items.find(g => g.groupRef === 'group:default/devops')?.now
        ?.contact.name,
    ).toBe(oncall.escalationChain[1].now?.contact.name);
  });

  it('lists everyone on call now', async () => {
    // "Now" is the server's: bracket it, so a hand-over during the request cannot fail
    // the test.
    const before = Date.now();
    const res = await http.get('/api/runbook/oncall').set(auth);
    const after = Date.now();
    expect(res.status).toBe(200);
    // Every Group but the organization has a rotation.
    expect(res.body.items).toHaveLength(13);
    for (const group of res.body.items) {
      expect(group.problem).toBeUndefined();
      expect(group.now.contact.email).toMatch(/@nexus-cos\.example$/);
      expect(Date.parse(group.now.shift.start)).toBeLessThanOrEqual(after);
      expect(Date.parse(group.now.shift.end)).toBeGreaterThan(before);
    }
  });

  it('(health) says plainly when no cluster and no Prometheus are configured', async () => {
    const res = await http
      .get('/api/runbook/entities/component/default/media-upload/health')
      .set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'unknown',
      reasons: [
        {
          code: 'no-cluster',
          message:
            'No cluster configured: add one to kubernetes.clusterLocatorMethods (type config)',
        },
      ],
      metrics: {
        source: 'none',
        unavailable: 'metrics: Prometheus not configured',
      },
    });
    // Nothing to show is not an error: no events, and no pods to tail.
    const events = await http
      .get('/api/runbook/entities/component/default/media-upload/events')
      .set(auth);
    expect([events.status, events.body]).toEqual([200, { items: [] }]);
    const logs = await http
      .get('/api/runbook/entities/component/default/media-upload/logs')
      .set(auth);
    expect(logs.status).toBe(404);
    expect(logs.body.error.message).toBe(
      'component:default/media-upload has no pods',
    );
  });

  it.each([
    ['/api/runbook/oncall?at=yesterday', 400, 'at must be an ISO 8601 instant'],
    ['/api/runbook/oncall?at=2026-02-10T08:00:00', 400, 'with an offset'],
    ['/api/runbook/oncall?at=a&at=b', 400, 'at must be an ISO 8601 instant'],
    [
      '/api/runbook/entities/component/default/nope/oncall',
      404,
      'No entity component:default/nope',
    ],
  ])('%s → %i', async (url, status, message) => {
    const res = await http.get(url).set(auth);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });
});
