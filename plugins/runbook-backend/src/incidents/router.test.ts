import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ALICE,
  BOB,
  CHAIN,
  as,
  asService,
  startIncidentBackend,
} from './__testUtils__/incidentBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PAYMENTS = 'component:default/payments';
const LEDGER = 'component:default/ledger';
const PAY = 'system:default/pay';
const declare = (overrides: Record<string, unknown> = {}) => ({
  title: 'Checkout fails',
  severity: 'P2',
  entityRefs: [PAYMENTS],
  ...overrides,
});

type Case = {
  name: string;
  method: 'post' | 'patch' | 'put' | 'get';
  /** `:id` is replaced by an existing incident's id. */
  path: string;
  body?: unknown;
  raw?: { type: string; data: string };
  user?: string;
  status: number;
  message: string;
};

const cases: Case[] = [
  {
    name: 'no title',
    method: 'post',
    path: '/incidents',
    body: declare({ title: undefined }),
    status: 400,
    message: 'title:',
  },
  {
    name: 'blank title',
    method: 'post',
    path: '/incidents',
    body: declare({ title: '   ' }),
    status: 400,
    message: 'title: must not be empty',
  },
  {
    name: 'title too long',
    method: 'post',
    path: '/incidents',
    body: declare({ title: 'x'.repeat(201) }),
    status: 400,
    message: 'title: must be at most 200 characters',
  },
  {
    name: 'severity P4',
    method: 'post',
    path: '/incidents',
    body: declare({ severity: 'P4' }),
    status: 400,
    message: 'severity: must be one of P0, P1, P2, P3',
  },
  {
    name: 'severity as number',
    method: 'post',
    path: '/incidents',
    body: declare({ severity: 0 }),
    status: 400,
    message: 'severity: must be one of P0, P1, P2, P3',
  },
  {
    name: 'no entities',
    method: 'post',
    path: '/incidents',
    body: declare({ entityRefs: [] }),
    status: 400,
    message: 'entityRefs: must name at least one affected entity',
  },
  {
    name: 'too many entities',
    method: 'post',
    path: '/incidents',
    body: declare({ entityRefs: Array(51).fill(PAYMENTS) }),
    status: 400,
    message: 'entityRefs: must name at most 50 entities',
  },
  {
    name: 'entity not a ref',
    method: 'post',
    path: '/incidents',
    body: declare({ entityRefs: ['payments'] }),
    status: 400,
    message: 'entityRefs.0: must be a full entity ref',
  },
  {
    name: 'unknown entity',
    method: 'post',
    path: '/incidents',
    body: declare({ entityRefs: ['component:default/nope'] }),
    status: 404,
    message: 'No entity component:default/nope in the catalog',
  },
  {
    name: 'commander not a user',
    method: 'post',
    path: '/incidents',
    body: declare({ commander: 'group:default/team-a' }),
    status: 400,
    message: 'commander: must be a User ref',
  },
  {
    name: 'unknown field',
    method: 'post',
    path: '/incidents',
    body: declare({ status: 'resolved' }),
    status: 400,
    message: 'Unrecognized key: "status"',
  },
  {
    name: 'body is an array',
    method: 'post',
    path: '/incidents',
    body: [declare()],
    status: 400,
    message: '(body): Invalid input: expected object',
  },
  {
    name: 'not JSON',
    method: 'post',
    path: '/incidents',
    raw: { type: 'text/plain', data: 'hi' },
    status: 415,
    message: 'must be JSON',
  },
  {
    name: 'broken JSON',
    method: 'post',
    path: '/incidents',
    raw: { type: 'application/json', data: '{"title":' },
    status: 400,
    message: 'not valid JSON',
  },
  {
    name: 'body too large',
    method: 'post',
    path: '/incidents',
    body: declare({ description: 'x'.repeat(70_000) }),
    status: 413,
    message: 'at most 65536 bytes',
  },
  {
    name: 'declare by a stranger',
    method: 'post',
    path: '/incidents',
    body: declare(),
    user: BOB,
    status: 403,
    message:
      'You may not declare incidents on component:default/payments (runbook.incident.create)',
  },
  {
    name: 'declare by a service token',
    method: 'post',
    path: '/incidents',
    body: declare(),
    user: 'service',
    status: 403,
    message:
      'Only a signed-in person may declare incidents; service principals may only read',
  },
  {
    name: 'timeline entry by a service token',
    method: 'post',
    path: '/incidents/:id/timeline',
    body: { message: 'automated note' },
    user: 'service',
    status: 403,
    message:
      'Only a signed-in person may timeline incidents; service principals may only read',
  },
  {
    name: 'unknown phase',
    method: 'patch',
    path: '/incidents/:id',
    body: { status: 'fixed' },
    status: 400,
    message: 'status: must be one of detected, assessing',
  },
  {
    name: 'empty patch',
    method: 'patch',
    path: '/incidents/:id',
    body: {},
    status: 400,
    message: 'must change status, severity or commander',
  },
  {
    name: 'skipping a phase',
    method: 'patch',
    path: '/incidents/:id',
    body: { status: 'resolved' },
    status: 409,
    message:
      'status: an incident in phase detected can move to assessing, not resolved',
  },
  {
    name: 'patch by a stranger',
    method: 'patch',
    path: '/incidents/:id',
    body: { severity: 'P1' },
    user: BOB,
    status: 403,
    message: 'runbook.incident.update',
  },
  {
    name: 'unknown incident',
    method: 'patch',
    path: '/incidents/00000000-0000-0000-0000-000000000000',
    body: { severity: 'P1' },
    status: 404,
    message: 'No incident 00000000-0000-0000-0000-000000000000',
  },
  {
    name: 'malformed incident id',
    method: 'get',
    path: '/incidents/..%2F..%2Fetc',
    status: 404,
    message: 'No incident',
  },
  {
    name: 'empty timeline entry',
    method: 'post',
    path: '/incidents/:id/timeline',
    body: { message: '' },
    status: 400,
    message: 'message: must not be empty',
  },
  {
    name: 'timeline entry too long',
    method: 'post',
    path: '/incidents/:id/timeline',
    body: { message: 'x'.repeat(4001) },
    status: 400,
    message: 'message: must be at most 4000 characters',
  },
  {
    name: 'post-mortem before resolution',
    method: 'put',
    path: '/incidents/:id/postmortem',
    body: { timeline: [], rootCause: 'x', actionItems: [] },
    status: 409,
    message: 'once the incident is resolved; it is detected',
  },
  {
    name: 'post-mortem without root cause',
    method: 'put',
    path: '/incidents/:id/postmortem',
    body: { timeline: [], actionItems: [] },
    status: 400,
    message: 'rootCause:',
  },
  {
    name: 'action item without owner',
    method: 'put',
    path: '/incidents/:id/postmortem',
    body: {
      timeline: [],
      rootCause: 'x',
      actionItems: [{ description: 'fix', done: false }],
    },
    status: 400,
    message: 'actionItems.0.owner:',
  },
  {
    name: 'post-mortem entry without a time',
    method: 'put',
    path: '/incidents/:id/postmortem',
    body: {
      timeline: [{ at: 'yesterday', message: 'x' }],
      rootCause: 'x',
      actionItems: [],
    },
    status: 400,
    message: 'timeline.0.at: must be an ISO 8601 instant',
  },
  {
    name: 'list by unknown status',
    method: 'get',
    path: '/incidents?status=closed',
    status: 400,
    message: 'status must be "open" or a comma-separated list',
  },
  {
    name: 'list by severity P9',
    method: 'get',
    path: '/incidents?severity=P9',
    status: 400,
    message: 'severity must be one of P0, P1, P2, P3',
  },
  {
    name: 'list by a bad entity',
    method: 'get',
    path: '/incidents?entity=payments',
    status: 400,
    message: 'entity must be a full entity ref',
  },
  {
    name: 'list by a bad entity among several',
    method: 'get',
    path: `/incidents?entity=${PAYMENTS},payments`,
    status: 400,
    message: 'entity must be a full entity ref',
  },
  {
    name: 'list by an empty entity between commas',
    method: 'get',
    path: `/incidents?entity=${PAYMENTS},,${PAYMENTS}`,
    status: 400,
    message: 'entity must be a full entity ref',
  },
  {
    name: 'list by 101 entities',
    method: 'get',
    path: `/incidents?entity=${Array.from(
      { length: 101 },
      (_, i) => `component:default/svc-${i}`,
    ).join(',')}`,
    status: 400,
    message: 'entity must name at most 100 entities; got 101',
  },
  {
    name: 'list by a repeated entity parameter',
    method: 'get',
    path: `/incidents?entity=${PAYMENTS}&entity=${PAYMENTS}`,
    status: 400,
    message: 'entity must be a single value; separate several refs with commas',
  },
  {
    name: 'list limit 0',
    method: 'get',
    path: '/incidents?limit=0',
    status: 400,
    message: 'limit must be a whole number between 1 and 500',
  },
  {
    name: 'repeated filter',
    method: 'get',
    path: '/incidents?severity=P1&severity=P2',
    status: 400,
    message: 'severity must be a single value',
  },
  {
    name: 'stats of an unknown entity',
    method: 'get',
    path: '/entities/component/default/nope/incidents/stats',
    status: 404,
    message: 'No entity component:default/nope',
  },
  {
    name: 'alert payload without alerts',
    method: 'post',
    path: '/alerts/alertmanager',
    body: { status: 'firing', alerts: [] },
    user: 'service',
    status: 400,
    message: 'alerts: must hold at least one alert',
  },
  {
    name: 'alert with a bad fingerprint',
    method: 'post',
    path: '/alerts/alertmanager',
    body: {
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: {},
          startsAt: '2026-11-27T00:00:00Z',
          fingerprint: 'a b',
        },
      ],
    },
    user: 'service',
    status: 400,
    message: 'alerts.0.fingerprint: must be 1 to 64 letters or digits',
  },
];

describe.each(databases.eachSupportedId())('incident API on %p', databaseId => {
  let ctx: Awaited<ReturnType<typeof startIncidentBackend>>;
  let knex: Awaited<ReturnType<typeof databases.init>>;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    ctx = await startIncidentBackend({
      knex,
      // No escalation during these tests: it has its own.
      config: { escalationCheckSeconds: 3600 },
    });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  const auditRows = () => knex('runbook_audit').orderBy('seq');

  describe('bad input', () => {
    let id: string;
    beforeAll(async () => {
      const res = await ctx.http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send(declare());
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      id = res.body.id;
    });

    it.each(cases)('$name → $status', async c => {
      const before = await ctx.http
        .get(`/api/runbook/incidents/${id}`)
        .set(as(ALICE));
      const incidentsBefore = await knex('runbook_incidents').count({ n: '*' });
      const path = `/api/runbook${c.path.replace(':id', id)}`;
      const auth = c.user === 'service' ? asService() : as(c.user ?? ALICE);
      let req = ctx.http[c.method](path).set(auth);
      if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.data);
      else if (c.body !== undefined) req = req.send(c.body as object);
      const res = await req;
      expect(res.status).toBe(c.status);
      expect(res.body.error.message).toContain(c.message);
      expect(JSON.stringify(res.body)).not.toMatch(/at \S+\.ts:\d+/);
      // Nothing was applied.
      const after = await ctx.http
        .get(`/api/runbook/incidents/${id}`)
        .set(as(ALICE));
      expect(after.body).toEqual(before.body);
      expect(await knex('runbook_incidents').count({ n: '*' })).toEqual(
        incidentsBefore,
      );
    });

    it('audits denials without the request body', async () => {
      const rows = await auditRows();
      const denied = rows.filter(r => r.event === 'denied');
      expect(denied.map(r => [r.actor, r.action, r.outcome])).toEqual(
        expect.arrayContaining([
          [BOB, 'incident.declare', 'runbook.incident.create denied'],
          [BOB, 'incident.update', 'runbook.incident.update denied'],
          [
            expect.stringMatching(/^service:/),
            'incident.declare',
            'a person must sign in; service principals may only read',
          ],
        ]),
      );
    });
  });

  it('walks an incident through every phase, with times, timeline and audit', async () => {
    const declared = await ctx.http
      .post('/api/runbook/incidents')
      .set(as(ALICE))
      .send(declare({ severity: 'P1', description: 'Card payments time out' }));
    expect(declared.status).toBe(201);
    const id = declared.body.id;
    expect(declared.body).toMatchObject({
      status: 'detected',
      severity: 'P1',
      reporter: ALICE,
      entityRefs: [PAYMENTS],
      escalationLevel: 0,
    });
    expect(
      Date.parse(declared.body.respondBy) -
        Date.parse(declared.body.detectedAt),
    ).toBe(15 * 60_000);

    const ack = await ctx.http
      .post(`/api/runbook/incidents/${id}/acknowledge`)
      .set(as(ALICE));
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'assessing',
      acknowledgedBy: ALICE,
    });
    expect(ack.body.acknowledgedAt).toBeDefined();

    const again = await ctx.http
      .post(`/api/runbook/incidents/${id}/acknowledge`)
      .set(as(ALICE));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'status: the incident is already assessing',
    );

    const responding = await ctx.http
      .patch(`/api/runbook/incidents/${id}`)
      .set(as(ALICE))
      .send({ status: 'responding', commander: ALICE, note: 'Paging the DBA' });
    expect(responding.body).toMatchObject({
      status: 'responding',
      commander: ALICE,
    });
    expect(responding.body.respondingAt).toBeDefined();

    const note = await ctx.http
      .post(`/api/runbook/incidents/${id}/timeline`)
      .set(as(ALICE))
      .send({ message: 'Connection pool exhausted' });
    expect(note.status).toBe(201);

    const resolved = await ctx.http
      .patch(`/api/runbook/incidents/${id}`)
      .set(as(ALICE))
      .send({ status: 'resolved' });
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.resolvedAt).toBeDefined();

    const postMortem = {
      timeline: [{ at: declared.body.detectedAt, message: 'Alert fired' }],
      rootCause: 'Pool size 10 under Black Friday load',
      actionItems: [
        {
          description: 'Raise the pool to 50',
          owner: 'group:default/team-a',
          done: false,
        },
      ],
    };
    const written = await ctx.http
      .put(`/api/runbook/incidents/${id}/postmortem`)
      .set(as(ALICE))
      .send(postMortem);
    expect(written.status).toBe(200);
    expect(written.body).toMatchObject({ status: 'post-mortem', postMortem });

    const closed = await ctx.http
      .patch(`/api/runbook/incidents/${id}`)
      .set(as(ALICE))
      .send({ status: 'responding' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toContain('is closed');

    const got = await ctx.http.get(`/api/runbook/incidents/${id}`).set(as(BOB));
    expect(got.body.timeline.map((t: { kind: string }) => t.kind)).toEqual([
      'declared',
      'acknowledged',
      'status',
      'commander',
      'note',
      'note',
      'status',
      'post-mortem',
    ]);
    const actions = (await auditRows())
      .filter(r => JSON.parse(r.params).incidentId === id)
      .map(r => r.action);
    expect(actions).toEqual([
      'incident.declare',
      'incident.acknowledge',
      'incident.update',
      'incident.timeline',
      'incident.update',
      'incident.postmortem',
    ]);
  });

  it('pages owners and on-call at declaration, the whole chain for P0', async () => {
    ctx.sent.length = 0;
    await ctx.http
      .post('/api/runbook/incidents')
      .set(as(ALICE))
      .send(declare({ severity: 'P2' }));
    await ctx.http
      .post('/api/runbook/incidents')
      .set(as(ALICE))
      .send(declare({ severity: 'P0' }));
    const [p2, p0] = ctx.sent;
    const onCall = expect.stringMatching(/^user:default\/(alice|carol)$/);
    expect(p2.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a', onCall],
    });
    expect(p2.payload).toMatchObject({
      title: '[P2] Incident declared: Checkout fails',
      severity: 'normal',
    });
    expect(p0.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-a', onCall, ...CHAIN],
    });
    expect(p0.payload.severity).toBe('critical');
  });

  it('lists per entity with filters and counts MTTA and MTTR', async () => {
    const open = await ctx.http
      .get(`/api/runbook/incidents?entity=${PAYMENTS}&status=open&severity=P0`)
      .set(as(BOB));
    expect(open.status).toBe(200);
    expect(open.body.items.length).toBeGreaterThan(0);
    expect(
      open.body.items.every(
        (i: any) => i.severity === 'P0' && i.status === 'detected',
      ),
    ).toBe(true);
    const stats = await ctx.http
      .get('/api/runbook/entities/component/default/payments/incidents/stats')
      .set(as(BOB));
    expect(stats.status).toBe(200);
    expect(stats.body.entityRef).toBe(PAYMENTS);
    expect(stats.body.total).toBe(
      Object.values(stats.body.bySeverity as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      ),
    );
    expect(stats.body.mttrSeconds).toBeGreaterThanOrEqual(0);
  });

  it('opens one incident per alert fingerprint and notes its resolution', async () => {
    const alert = (status: 'firing' | 'resolved') => ({
      version: '4',
      status,
      receiver: 'runbook',
      alerts: [
        {
          status,
          labels: {
            alertname: 'HighErrorRate',
            service: 'ledger',
            severity: 'critical',
          },
          annotations: { summary: 'ledger 5xx above 5%' },
          startsAt: '2026-11-27T00:00:00Z',
          endsAt:
            status === 'resolved'
              ? '2026-11-27T00:10:00Z'
              : '0001-01-01T00:00:00Z',
          fingerprint: 'c0ffee01',
        },
        {
          status,
          labels: { alertname: 'HighErrorRate', service: 'unknown-svc' },
          startsAt: '2026-11-27T00:00:00Z',
          fingerprint: 'c0ffee02',
        },
      ],
    });
    const first = await ctx.http
      .post('/api/runbook/alerts/alertmanager')
      .set(asService())
      .send(alert('firing'));
    expect(first.status).toBe(200);
    const [opened, ignored] = first.body.results;
    expect(opened).toMatchObject({
      fingerprint: 'c0ffee01',
      outcome: 'opened',
    });
    expect(ignored).toEqual({
      fingerprint: 'c0ffee02',
      outcome: 'ignored',
      reason: 'no catalog Component has backstage.io/kubernetes-id unknown-svc',
    });
    const repeat = await ctx.http
      .post('/api/runbook/alerts/alertmanager')
      .set(asService())
      .send(alert('firing'));
    expect(repeat.body.results[0]).toEqual({
      fingerprint: 'c0ffee01',
      outcome: 'updated',
      incidentId: opened.incidentId,
    });
    const resolved = await ctx.http
      .post('/api/runbook/alerts/alertmanager')
      .set(asService())
      .send(alert('resolved'));
    expect(resolved.body.results[0]).toMatchObject({
      outcome: 'resolved',
      incidentId: opened.incidentId,
    });

    const incident = (
      await ctx.http
        .get(`/api/runbook/incidents/${opened.incidentId}`)
        .set(as(BOB))
    ).body;
    expect(incident).toMatchObject({
      title: 'ledger 5xx above 5%',
      severity: 'P1',
      source: 'alertmanager',
      reporter: 'alertmanager',
      entityRefs: ['component:default/ledger'],
      status: 'detected',
    });
    expect(
      incident.timeline.map((t: { message: string }) => t.message),
    ).toEqual([
      expect.stringContaining('Declared P1'),
      'Alert HighErrorRate firing since 2026-11-27T00:00:00Z',
      'Alert HighErrorRate resolved at 2026-11-27T00:10:00Z',
    ]);
    const ledger = await ctx.http
      .get('/api/runbook/incidents?entity=component:default/ledger')
      .set(as(BOB));
    expect(ledger.body.items).toHaveLength(1);
  });

  it('lists the incidents of several entities, each once', async () => {
    const declared = async (entityRefs: string[]) => {
      const res = await ctx.http
        .post('/api/runbook/incidents')
        .set(as(ALICE))
        .send(declare({ entityRefs }));
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const ledgerOnly = await declared([LEDGER]);
    const both = await declared([PAYMENTS, LEDGER]);
    const ofSystem = await declared([PAY]);
    const paymentsOnly = await declared([PAYMENTS]);

    const res = await ctx.http
      .get(
        `/api/runbook/incidents?entity=${LEDGER},${PAY},Component:default/Ledger`,
      )
      .set(as(BOB));
    expect(res.status).toBe(200);
    const ids: string[] = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([ledgerOnly, both, ofSystem]));
    expect(ids).not.toContain(paymentsOnly);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      res.body.items.every((i: { entityRefs: string[] }) =>
        i.entityRefs.some(ref => ref === LEDGER || ref === PAY),
      ),
    ).toBe(true);
  });
});
