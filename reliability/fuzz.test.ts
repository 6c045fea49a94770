/**
 * Fuzz: 10,000 requests (RELIABILITY_FUZZ_REQUESTS) generated with fast-check over every
 * route of the runbook API: path parameters, query parameters (repeated, empty, huge,
 * negative, not numbers), headers (content types, idempotency keys, credentials) and
 * bodies (random JSON, text, valid bodies with one field broken). Every answer is below
 * 500 and carries no stack trace; every state-changing request is refused with a 4xx,
 * and no table but the audit trail (its denial rows) changes.
 */
import fc from 'fast-check';
import { Knex } from 'knex';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../plugins/runbook-backend/src/__testUtils__/testBackend';
import { startSeededSandbox } from '../plugins/runbook-backend/src/__testUtils__/sandbox';
import { SEED, postgres } from './lib';

const REQUESTS = Number(process.env.RELIABILITY_FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 8;
jest.setTimeout(600_000);

const NS = 'nexus-fuzz';
const entities = ['fuzz-a', 'fuzz-b'].map(name =>
  component(name, { 'backstage.io/kubernetes-namespace': NS }),
);
/** Tables whose rows only requests create; the audit trail is checked apart. */
const STATE_TABLES = [
  'runbook_runs',
  'runbook_run_log',
  'runbook_locks',
  'runbook_idempotency',
  'runbook_incidents',
  'runbook_incident_entities',
  'runbook_incident_timeline',
  'runbook_fleet_runs',
  'runbook_fleet_children',
  'runbook_backups',
  'runbook_access_reviews',
  'runbook_vulnerability_uploads',
  'runbook_maintenance_notices',
];

// --- What a request is made of ---

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '%00',
    '../..',
    'a'.repeat(5000),
  ),
  fc.integer().map(String),
  fc.double().map(String),
);
const entityPath = fc.oneof(
  fc.constantFrom(
    'component/default/fuzz-a',
    'component/default/fuzz-b',
    'resource/default/fuzz-a',
    'component/default/nope',
  ),
  fc
    .tuple(text, text, text)
    .map(parts => parts.map(encodeURIComponent).join('/')),
);
const id = fc.oneof(fc.uuid(), text.map(encodeURIComponent));

type Route = {
  method: string;
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
  /** The query parameters the route reads (a few others are sent too). */
  keys?: string[];
};

const AUDIT_KEYS = [
  'limit',
  'cursor',
  'order',
  'entity',
  'actor',
  'action',
  'outcome',
  'run',
  'from',
  'to',
];
/** What each read's handler takes from the query string. */
const KEYS: Record<string, string[]> = {
  '/approvals': ['mine', 'status'],
  '/audit': AUDIT_KEYS,
  '/audit/export': ['format', ...AUDIT_KEYS],
  '/audit/verify': ['anchors'],
  '/backups': ['target', 'limit'],
  '/fleet/runs': ['scope', 'limit'],
  '/health': ['limit'],
  '/incidents': ['entity', 'status', 'severity', 'limit', 'cursor'],
  '/maintenance': ['period', 'at'],
  '/oncall': ['at'],
  '/logs': ['tail', 'limit', 'container', 'since'],
  '/events': ['limit'],
  '/runs': ['limit', 'action'],
  '/vulnerabilities': ['image'],
  '/runs/:id/log': ['after'],
};

const E = (tail: string) => entityPath.map(e => `/entities/${e}${tail}`);
const withId = (pattern: string) => id.map(i => pattern.replace(':id', i));
const constant = (path: string) => fc.constant(path);

/** A valid body with one field broken: what a careless client or an attacker sends. */
const brokenRun = fc.oneof(
  fc.record({
    action: fc.constantFrom('scale'),
    input: fc.record({
      replicas: fc.oneof(
        fc.integer({ min: 7 }),
        fc.integer({ max: 0 }),
        fc.double(),
        text,
      ),
    }),
  }),
  fc.record({ action: text, input: fc.object() }),
  fc.record({
    action: fc.constantFrom('set-image'),
    input: fc.record({
      image: fc.oneof(
        fc.constant(''),
        text.map(t => `${t} bad image`),
      ),
    }),
  }),
  fc.record({
    action: fc.constantFrom('scale'),
    input: fc.constant({ replicas: 2 }),
    dryRun: text,
    confirm: fc.integer(),
  }),
);
const brokenIncident = fc.oneof(
  fc.record({
    title: fc.constantFrom('', 'x'.repeat(10_000)),
    severity: fc.constantFrom('P2'),
    entityRefs: fc.constant(['component:default/fuzz-a']),
  }),
  fc.record({
    title: fc.constant('Checkout fails'),
    severity: text,
    entityRefs: fc.constant(['component:default/fuzz-a']),
  }),
  fc.record({
    title: fc.constant('Checkout fails'),
    severity: fc.constant('P2'),
    entityRefs: fc.oneof(
      text,
      fc.array(text, { minLength: 1 }),
      fc.constant([]),
    ),
  }),
);
const anyBody = fc.oneof(fc.json(), fc.jsonValue(), text, fc.object());

const ROUTES: Route[] = [
  // Reads.
  ...[
    '/approvals',
    '/audit',
    '/audit/export',
    '/audit/verify',
    '/backups',
    '/fleet/runs',
    '/health',
    '/incidents',
    '/maintenance',
    '/oncall',
    '/security/overview',
  ].map(p => ({ method: 'GET', path: constant(p), keys: KEYS[p] })),
  ...[
    '/events',
    '/health',
    '/logs',
    '/oncall',
    '/runbook',
    '/runs',
    '/incidents/stats',
    '/access',
    '/certificates',
    '/security-findings',
    '/vulnerabilities',
  ].map(t => ({ method: 'GET', path: E(t), keys: KEYS[t] })),
  ...['/fleet/runs/:id', '/incidents/:id', '/runs/:id', '/runs/:id/log'].map(
    p => ({ method: 'GET', path: withId(p), keys: KEYS[p] }),
  ),
  // Changes, each with a body that must be refused.
  { method: 'POST', path: E('/runs'), body: fc.oneof(brokenRun, anyBody) },
  { method: 'POST', path: withId('/runs/:id/cancel'), body: anyBody },
  {
    method: 'POST',
    path: constant('/fleet/runs'),
    body: fc.oneof(fc.record({ action: text, scope: text }), anyBody),
  },
  { method: 'POST', path: withId('/fleet/runs/:id/cancel'), body: anyBody },
  {
    method: 'POST',
    path: constant('/incidents'),
    body: fc.oneof(brokenIncident, anyBody),
  },
  { method: 'POST', path: withId('/incidents/:id/acknowledge'), body: anyBody },
  { method: 'PATCH', path: withId('/incidents/:id'), body: anyBody },
  { method: 'POST', path: withId('/incidents/:id/timeline'), body: anyBody },
  { method: 'PUT', path: withId('/incidents/:id/postmortem'), body: anyBody },
  {
    method: 'POST',
    path: constant('/alerts/alertmanager'),
    body: fc.oneof(
      fc.record({
        alerts: fc.oneof(
          text,
          fc.array(fc.object(), { minLength: 1, maxLength: 3 }),
        ),
      }),
      anyBody,
    ),
  },
  {
    method: 'POST',
    path: withId('/maintenance/items/:id/complete'),
    body: anyBody,
  },
  {
    method: 'POST',
    path: constant('/vulnerabilities/reports'),
    body: fc.oneof(fc.record({ ArtifactName: text, Results: text }), anyBody),
  },
  { method: 'POST', path: withId('/approvals/:id/approve'), body: anyBody },
  { method: 'POST', path: withId('/approvals/:id/reject'), body: anyBody },
];

/** Mostly the route's own parameters, repeated at times, with values of any kind. */
const queryFor = (keys: string[] = ['limit', 'cursor']) =>
  fc.array(
    fc.tuple(
      fc.oneof(
        { arbitrary: fc.constantFrom(...keys), weight: 5 },
        { arbitrary: text, weight: 1 },
      ),
      text,
    ),
    { maxLength: 4 },
  );
const headers = fc.record(
  {
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'garbage',
    ),
    idempotencyKey: text,
    // Mostly people who may read and act, so that inputs reach their validation.
    auth: fc.constantFrom(
      'owner',
      'owner',
      'owner',
      'auditor',
      'stranger',
      'none',
      'garbage',
    ),
    raw: fc.boolean(),
  },
  { requiredKeys: ['auth', 'contentType'] },
);

type FuzzRequest = {
  method: string;
  path: string;
  query: Array<[string, string]>;
  headers: {
    contentType: string;
    idempotencyKey?: string;
    auth: string;
    raw?: boolean;
  };
  body?: unknown;
};
const request: fc.Arbitrary<FuzzRequest> = fc
  .constantFrom(...ROUTES)
  .chain(route =>
    fc.record({
      method: fc.constant(route.method),
      path: route.path,
      query: queryFor(route.keys),
      headers,
      body: route.body ?? fc.constant(undefined),
    }),
  );

const pg = postgres();

describe(`fuzz: ${REQUESTS} requests over every route`, () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let knex: Knex;
  let stop: (() => Promise<void>) | undefined;
  let base: string;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(entities);
    ({ knex } = await pg.fresh());
    const { backend } = await startRunbookBackend({
      knex,
      entities,
      clusterUrl: sandbox.url,
    });
    stop = () => backend.stop();
    const { port } = backend.server.address() as { port: number };
    base = `http://127.0.0.1:${port}/api/runbook`;
  });

  afterAll(async () => {
    await stop?.();
    await sandbox?.stop();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        STATE_TABLES.map(
          async t =>
            [t, Number((await knex(t).count({ n: '*' }))[0].n)] as const,
        ),
      ),
    );

  it('answers only 4xx to invalid input, never 5xx, and changes nothing', async () => {
    const before = await counts();
    const auditBefore = Number(
      (await knex('runbook_audit').count({ n: '*' }))[0].n,
    );
    const requests = fc.sample(request, { numRuns: REQUESTS, seed: SEED });
    const failures: string[] = [];
    const accepted: string[] = [];
    const statuses: Record<number, number> = {};

    const send = async (r: FuzzRequest) => {
      const qs = r.query
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
      const url = `${base}${r.path}${qs ? `?${qs}` : ''}`;
      const h: Record<string, string> = {};
      const user = { owner: OWNER, stranger: STRANGER, auditor: AUDITOR }[
        r.headers.auth as string
      ];
      if (user) Object.assign(h, as(user));
      if (r.headers.auth === 'garbage') h.Authorization = 'Bearer not-a-token';
      if (r.headers.idempotencyKey !== undefined)
        h['Idempotency-Key'] = encodeURIComponent(r.headers.idempotencyKey);
      let body: string | undefined;
      if (r.body !== undefined) {
        h['Content-Type'] = r.headers.contentType;
        body =
          r.headers.raw && typeof r.body === 'string'
            ? r.body
            : JSON.stringify(r.body);
      }
      const describe = `${r.method} ${url.slice(
        base.length,
        base.length + 300,
      )} [${r.headers.auth}, ${h['Content-Type'] ?? '-'}] ${String(body).slice(
        0,
        200,
      )}`;
      try {
        const res = await fetch(url, { method: r.method, headers: h, body });
        const answer = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500)
          failures.push(`${res.status} ${describe} → ${answer.slice(0, 300)}`);
        if (/at \S+\.(ts|js):\d+/.test(answer))
          failures.push(`stack trace: ${describe}`);
        if (r.method !== 'GET' && res.status < 400)
          accepted.push(`${res.status} ${describe}`);
      } catch (error) {
        failures.push(`no answer (${(error as Error).message}): ${describe}`);
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) await send(requests[next++]);
      }),
    );
    process.stdout.write(
      `fuzz: seed ${SEED}, ${
        requests.length
      } requests, statuses ${JSON.stringify(statuses)}\n`,
    );

    expect(failures).toEqual([]);
    expect(accepted).toEqual([]);
    expect(await counts()).toEqual(before);
    // The trail only gained denial rows (a refused change is audited, and only that).
    const added = await knex('runbook_audit')
      .where('seq', '>', auditBefore)
      .distinct('event');
    expect(added.map(r => r.event).filter(e => e !== 'denied')).toEqual([]);
  });
});
