import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { RUNBOOK_ACTIONS } from '@nexus-cos/plugin-runbook-common';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const PATH = '/api/runbook/entities/component/default/payments/runs';
const entities = [
  component('payments', { 'nexus-cos.io/replicas': '2-6' }),
  component('ledger', { 'nexus-cos.io/runbook-actions': 'scale,restart' }),
  component('gateway', {}, { lifecycle: 'production' }),
  { ...component('docs'), metadata: { name: 'docs', namespace: 'default' } },
];
/** Nothing listens here: a request that reached the cluster would fail loudly. */
const NO_CLUSTER = 'http://127.0.0.1:9';

type Case = {
  name: string;
  status: number;
  message: string;
  body?: unknown;
  path?: string;
  method?: 'post' | 'get';
  user?: string;
  headers?: Record<string, string>;
  raw?: { type: string; data: string };
};

const scale = (input: unknown) => ({ action: 'scale', input });
const image = (img: string) => ({ action: 'set-image', input: { image: img } });

const cases: Case[] = [
  {
    name: 'unknown action',
    body: { action: 'explode', input: {} },
    status: 400,
    message: 'action: action must be one of: scale, stop',
  },
  { name: 'no action', body: { input: {} }, status: 400, message: 'action:' },
  {
    name: 'replicas -1',
    body: scale({ replicas: -1 }),
    status: 400,
    message: 'input.replicas: must be at least 0',
  },
  {
    name: 'replicas 10^9',
    body: scale({ replicas: 1e9 }),
    status: 400,
    message: 'input.replicas: must be at most 1000',
  },
  {
    name: 'replicas "3"',
    body: scale({ replicas: '3' }),
    status: 400,
    message: 'input.replicas: Invalid input: expected number, received string',
  },
  {
    name: 'replicas 2.5',
    body: scale({ replicas: 2.5 }),
    status: 400,
    message: 'input.replicas: must be a whole number',
  },
  {
    name: 'replicas null',
    body: scale({ replicas: null }),
    status: 400,
    message: 'input.replicas',
  },
  {
    name: 'replicas missing',
    body: scale({}),
    status: 400,
    message: 'input.replicas',
  },
  {
    name: 'replicas above the annotation',
    body: scale({ replicas: 7 }),
    status: 400,
    message: 'input.replicas: replicas must be between 2 and 6, got 7',
  },
  {
    name: 'replicas below the annotation',
    body: scale({ replicas: 1 }),
    status: 400,
    message: 'replicas must be between 2 and 6, got 1',
  },
  {
    name: 'unknown input field',
    body: scale({ replicas: 3, force: true }),
    status: 400,
    message: 'input: Unrecognized key: "force"',
  },
  {
    name: 'unknown top-level field',
    body: { ...scale({ replicas: 3 }), sudo: true },
    status: 400,
    message: 'Unrecognized key: "sudo"',
  },
  {
    name: 'input is an array',
    body: scale([3]),
    status: 400,
    message: 'input:',
  },
  {
    name: 'body is an array',
    body: [scale({ replicas: 3 })],
    status: 400,
    message: 'expected object',
  },
  {
    name: 'image with ;',
    body: image('nexus-cos/payments:1;rm -rf /'),
    status: 400,
    message: 'input.image: image must be a container image reference',
  },
  {
    name: 'image with $()',
    body: image('nexus-cos/payments:$(id)'),
    status: 400,
    message: 'no spaces or shell characters',
  },
  {
    name: 'image with backticks',
    body: image('nexus-cos/payments:`id`'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'image with a space',
    body: image('nexus-cos/payments:1 2'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'image with a pipe',
    body: image('nexus-cos/payments:1|sh'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'image with &&',
    body: image('nexus-cos/payments:1&&x'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'image with a newline',
    body: image('nexus-cos/payments:1\nx'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'image outside the allowed repository',
    body: image('evil/payments:1.0.0'),
    status: 400,
    message:
      'input.image: image must come from the repository "nexus-cos/payments", not "evil/payments"',
  },
  {
    name: 'image from a look-alike registry',
    body: image('evil.io/nexus-cos/payments:1.0.0'),
    status: 400,
    message: 'must come from the repository "nexus-cos/payments"',
  },
  {
    name: 'image without a tag',
    body: image('nexus-cos/payments'),
    status: 400,
    message: 'image must name a tag or digest',
  },
  {
    name: 'image too long',
    body: image(`nexus-cos/payments:${'a'.repeat(300)}`),
    status: 400,
    message: 'image must be at most 255 characters',
  },
  {
    name: 'image in upper case',
    body: image('Nexus-cos/payments:1'),
    status: 400,
    message: 'input.image',
  },
  {
    name: 'negative health window',
    body: {
      action: 'set-image',
      input: { image: 'nexus-cos/payments:2', healthWindowSeconds: -5 },
    },
    status: 400,
    message: 'input.healthWindowSeconds: must be at least 0',
  },
  {
    name: 'rollback to revision 0',
    body: { action: 'rollback', input: { revision: 0 } },
    status: 400,
    message: 'input.revision: must be at least 1',
  },
  {
    name: 'rollback to revision "2"',
    body: { action: 'rollback', input: { revision: '2' } },
    status: 400,
    message: 'input.revision',
  },
  {
    name: 'cpu that is no quantity',
    body: { action: 'set-resources', input: { limits: { cpu: 'lots' } } },
    status: 400,
    message: 'input.limits.cpu: must be a CPU quantity',
  },
  {
    name: 'memory above the ceiling',
    body: { action: 'set-resources', input: { limits: { memory: '64Gi' } } },
    status: 400,
    message: 'input.limits.memory: limits.memory must be at most 8Gi, got 64Gi',
  },
  {
    name: 'requests above limits',
    body: {
      action: 'set-resources',
      input: { requests: { cpu: '2' }, limits: { cpu: '1' } },
    },
    status: 400,
    message: 'requests.cpu (2) must not exceed limits.cpu (1)',
  },
  {
    name: 'empty resources',
    body: { action: 'set-resources', input: {} },
    status: 400,
    message: 'must set requests or limits',
  },
  {
    name: 'autoscaler min above max',
    body: {
      action: 'configure-autoscaling',
      input: {
        enabled: true,
        minReplicas: 5,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 70,
      },
    },
    status: 400,
    message: 'minReplicas (5) must not exceed maxReplicas (3)',
  },
  {
    name: 'autoscaler target 150%',
    body: {
      action: 'configure-autoscaling',
      input: {
        enabled: true,
        minReplicas: 2,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 150,
      },
    },
    status: 400,
    message: 'input.targetCPUUtilizationPercentage: must be at most 100',
  },
  {
    name: 'autoscaler enabled "yes"',
    body: { action: 'configure-autoscaling', input: { enabled: 'yes' } },
    status: 400,
    message: 'input.enabled',
  },
  {
    name: 'pod name with a path',
    body: { action: 'delete-pod', input: { pod: '../etc/passwd' } },
    status: 400,
    message: 'input.pod: must be a pod name',
  },
  {
    name: 'monitor window too long',
    body: { action: 'blue-green-switch', input: { monitorSeconds: 99999 } },
    status: 400,
    message: 'input.monitorSeconds: must be at most 3600',
  },
  {
    name: 'dryRun "true"',
    body: { ...scale({ replicas: 3 }), dryRun: 'true' },
    status: 400,
    message: 'dryRun: Invalid input: expected boolean',
  },
  {
    name: 'reason too long',
    body: { ...scale({ replicas: 3 }), reason: 'x'.repeat(501) },
    status: 400,
    message: 'reason: must be at most 500 characters',
  },
  {
    name: 'action outside the allow-list',
    path: '/api/runbook/entities/component/default/ledger/runs',
    body: image('nexus-cos/ledger:2'),
    status: 400,
    message:
      // review-access is not a change: the owner's allow-list does not narrow it.
      'action: set-image is not offered by the runbook of component:default/ledger (it offers scale, restart, diagnostics, review-access)',
  },
  {
    name: 'production without confirm',
    path: '/api/runbook/entities/component/default/gateway/runs',
    body: scale({ replicas: 3 }),
    status: 400,
    message:
      'confirm: component:default/gateway is a production service; type its name "gateway" to confirm',
  },
  {
    name: 'production below its stricter minimum',
    path: '/api/runbook/entities/component/default/gateway/runs',
    body: { ...scale({ replicas: 1 }), confirm: 'gateway' },
    status: 400,
    message: 'replicas must be between 2 and 6, got 1',
  },
  {
    name: 'Idempotency-Key too long',
    body: scale({ replicas: 3 }),
    headers: { 'Idempotency-Key': 'k'.repeat(256) },
    status: 400,
    message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
  },
  {
    name: 'unknown entity',
    path: '/api/runbook/entities/component/default/nope/runs',
    body: scale({ replicas: 3 }),
    status: 404,
    message: 'No entity component:default/nope in the catalog',
  },
  {
    name: 'entity without a runbook',
    path: '/api/runbook/entities/component/default/docs/runs',
    body: scale({ replicas: 3 }),
    status: 404,
    message: 'lacks the backstage.io/kubernetes-id annotation',
  },
  {
    name: 'oversize body',
    body: { ...scale({ replicas: 3 }), reason: 'x'.repeat(70_000) },
    status: 413,
    message: 'The request body must be at most 65536 bytes',
  },
  {
    name: 'text/plain body',
    raw: { type: 'text/plain', data: 'scale 3' },
    status: 415,
    message: 'The request body must be JSON',
  },
  {
    name: 'form body',
    raw: { type: 'application/x-www-form-urlencoded', data: 'action=scale' },
    status: 415,
    message: 'Content-Type: application/json',
  },
  {
    name: 'malformed JSON',
    raw: { type: 'application/json', data: '{"action": "scale",' },
    status: 400,
    message: 'The request body is not valid JSON',
  },
  {
    name: 'JSON that is a bare string',
    raw: { type: 'application/json', data: '"scale"' },
    status: 400,
    message: 'The request body is not valid JSON',
  },
  {
    name: 'a user who may not act',
    user: STRANGER,
    body: scale({ replicas: 3 }),
    status: 403,
    message:
      'You may not run scale on component:default/payments (runbook.action.execute)',
  },
  {
    name: 'a service token, which may read but never change',
    user: 'service',
    body: scale({ replicas: 3 }),
    status: 403,
    message:
      'Only a signed-in person may run scale on component:default/payments; service principals may only read',
  },
  {
    name: 'a stranger with bad input too',
    user: STRANGER,
    body: scale({ replicas: -1 }),
    status: 400,
    message: 'input.replicas',
  },
  {
    name: 'unknown run',
    method: 'get',
    path: '/api/runbook/runs/00000000-0000-0000-0000-000000000000',
    status: 404,
    message: 'No run 00000000-0000-0000-0000-000000000000',
  },
  {
    name: 'cancel of an unknown run',
    path: '/api/runbook/runs/nope/cancel',
    status: 404,
    message: 'No run nope',
  },
  {
    name: 'audit page limit "abc"',
    method: 'get',
    path: '/api/runbook/audit?limit=abc',
    status: 400,
    message: 'limit must be a whole number between 1 and 1000',
  },
  {
    // Found by a fuzz: a page of no rows answered 500.
    name: 'audit page of no rows',
    method: 'get',
    path: '/api/runbook/audit?limit=0',
    status: 400,
    message: 'limit must be a whole number between 1 and 1000',
  },
  {
    name: 'audit time that is no time',
    method: 'get',
    path: '/api/runbook/audit?from=yesterday',
    status: 400,
    message: 'from must be an ISO 8601 time',
  },
  {
    name: 'audit filter given twice',
    method: 'get',
    path: '/api/runbook/audit?actor=a&actor=b',
    status: 400,
    message: 'actor must be a single value',
  },
  {
    name: 'audit order sideways',
    method: 'get',
    path: '/api/runbook/audit?order=sideways',
    status: 400,
    message: 'order must be asc or desc',
  },
  {
    name: 'export as xml',
    method: 'get',
    path: '/api/runbook/audit/export?format=xml',
    status: 400,
    message: 'format must be jsonl or csv',
  },
  {
    name: 'verify with a bad anchor',
    method: 'get',
    path: '/api/runbook/audit/verify?anchors=5:xyz',
    status: 400,
    message: 'anchors must be a comma-separated list of seq:sha256hex',
  },
  {
    name: 'audit for a user without audit rights',
    method: 'get',
    user: STRANGER,
    path: '/api/runbook/audit',
    status: 403,
    message: 'runbook.audit.read',
  },
];

describe.each(databases.eachSupportedId())('runbook router on %p', id => {
  let http: Awaited<ReturnType<typeof startRunbookBackend>>['http'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startRunbookBackend({
      knex: await databases.init(id),
      entities,
      clusterUrl: NO_CLUSTER,
    });
    http = started.http;
    stop = () => started.backend.stop();
  });
  afterAll(() => stop());

  it(`answers ${cases.length} malformed or refused requests with the contracted 4xx, no run, and audits only denials`, async () => {
    const answers: Array<{
      name: string;
      status: number;
      message: string;
      stack: boolean;
    }> = [];
    for (const c of cases) {
      const method = c.method ?? 'post';
      let req = http[method](c.path ?? PATH)
        .set(
          c.user === 'service'
            ? { Authorization: mockCredentials.service.header() }
            : as(c.user ?? OWNER),
        )
        .set(c.headers ?? {});
      if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.data);
      else if (c.body !== undefined) req = req.send(c.body as object);
      const res = await req;
      answers.push({
        name: c.name,
        status: res.status,
        message: res.body?.error?.message ?? '',
        stack: JSON.stringify(res.body).includes('    at '),
      });
    }
    expect(answers).toEqual(
      cases.map(c => ({
        name: c.name,
        status: c.status,
        message: expect.stringContaining(c.message),
        stack: false,
      })),
    );
    for (const name of ['payments', 'ledger', 'gateway']) {
      const runs = await http
        .get(`/api/runbook/entities/component/default/${name}/runs`)
        .set(as(OWNER));
      expect(runs.body).toEqual({ items: [] });
    }
    const audit = await http.get('/api/runbook/audit').set(as(AUDITOR));
    expect(
      audit.body.items.map((i: any) => [i.event, i.actor, i.action, i.params]),
    ).toEqual([
      ['denied', STRANGER, 'scale', { replicas: 3 }],
      ['denied', 'service:external:test-service', 'scale', { replicas: 3 }],
    ]);
  });

  it('resolves the runbook: annotations over config, allow-list, production and the caller', async () => {
    const owner = await http
      .get('/api/runbook/entities/component/default/gateway/runbook')
      .set(as(OWNER));
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({
      entityRef: 'component:default/gateway',
      cluster: 'sandbox',
      namespace: 'nexus-core',
      service: 'gateway',
      production: true,
      confirmText: 'gateway',
      limits: {
        replicas: { min: 2, max: 6 },
        imageRepository: 'nexus-cos/gateway',
        resources: { maxCpu: '4', maxMemory: '8Gi' },
        rolloutTimeoutSeconds: 20,
        healthWindowSeconds: 60,
        blueGreenMonitorSeconds: 1,
      },
      // Nothing listens at the cluster's URL, so its watch cache never syncs.
      liveError: 'cluster sandbox not synced yet',
    });
    // Every action but those only DR-target Resources offer.
    const onlyResources = [
      'dr-drill',
      'backup',
      'verify-backup',
      'restore',
      'rotate-db-password',
    ];
    expect(owner.body.actions.map((a: any) => a.action)).toEqual(
      RUNBOOK_ACTIONS.filter(a => !onlyResources.includes(a)),
    );
    expect(owner.body.actions[0]).toEqual({
      action: 'scale',
      allowed: false,
      reason: expect.stringContaining('The live state could not be read'),
    });

    const stranger = await http
      .get('/api/runbook/entities/component/default/ledger/runbook')
      .set(as(STRANGER));
    expect(stranger.body.production).toBe(false);
    expect(stranger.body.confirmText).toBeUndefined();
    expect(stranger.body.limits.replicas).toEqual({ min: 1, max: 6 });
    expect(stranger.body.actions).toEqual([
      {
        action: 'scale',
        allowed: false,
        reason:
          'You may not run actions on component:default/ledger (runbook.action.execute)',
      },
      {
        action: 'restart',
        allowed: false,
        reason:
          'You may not run actions on component:default/ledger (runbook.action.execute)',
      },
      // Reads are offered whatever the allow-list says, to whoever may read.
      { action: 'diagnostics', allowed: true },
      // Not narrowed by the allow-list, and refused by its own permission.
      {
        action: 'review-access',
        allowed: false,
        reason:
          'You may not run review-access on component:default/ledger (runbook.access.review)',
      },
    ]);
  });
});
