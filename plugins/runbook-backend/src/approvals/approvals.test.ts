import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuditRecord, Run } from '@nexus-cos/plugin-runbook-common';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { notificationsRecorder, pinnedClock } from '../__testUtils__/services';
import {
  AUDITOR,
  DBA,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const NS = 'nexus-approvals';
/** Two platform leads: either may approve, neither is the requester. */
const LEAD = 'user:default/zoe';
const LEAD2 = 'user:default/marco';

const service = (name: string, system = 'pay') =>
  component(
    name,
    { 'backstage.io/kubernetes-namespace': NS, 'nexus-cos.io/replicas': '2-6' },
    { lifecycle: 'production', system },
  );
const SERVICES = [
  'flow',
  'own',
  'reject',
  'expire',
  'race',
  'restart',
  'locked',
  'withdraw',
  'drift',
  'person',
  'agent',
].map(s => service(s));
const FROZEN = service('frozen', 'frozen');
/** The fleet's Domain: one System of two services, experimental so that no confirm is asked. */
const FLEET = ['fleet-a', 'fleet-b'].map(name =>
  component(
    name,
    { 'backstage.io/kubernetes-namespace': NS, 'nexus-cos.io/replicas': '1-6' },
    { system: 'fleetsys' },
  ),
);
const FROZEN_P3 = service('frozen-p3', 'frozen');

const user = (ref: string, groups: string[]): Entity => {
  const name = ref.split('/')[1];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email: `${name}@nexus-cos.example` }, memberOf: groups },
    relations: groups.map(targetRef => ({ type: 'memberOf', targetRef })),
  };
};
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const ENTITIES = [
  ...SERVICES,
  FROZEN,
  FROZEN_P3,
  ...FLEET,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'fleetsys', namespace: 'default' },
    spec: { owner: 'group:default/team-a', domain: 'nexus' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'nexus', namespace: 'default' },
    spec: { owner: 'group:default/platform-lead' },
  },
  group('dbas'),
  user(DBA, ['group:default/dbas']),
  group('team-a'),
  group('platform-lead'),
  user(OWNER, ['group:default/team-a']),
  user(AUDITOR, ['group:default/team-a']),
  user(STRANGER, []),
  user(LEAD, ['group:default/platform-lead']),
  user(LEAD2, ['group:default/platform-lead']),
];

/** The runbook's clock: freezes and approval expiry read it; lock TTLs stay on the wall clock. */
const START = '2026-01-07T10:00:00Z';
const CONFIG = {
  production: { minReplicas: 2 },
  defaults: { rolloutTimeoutSeconds: 8, blueGreenMonitorSeconds: 1 },
  approvals: {
    expiresAfterMinutes: 30,
    rules: [
      {
        name: 'production scale',
        actions: ['scale'],
        entities: { lifecycle: 'production' },
        initiators: ['person', 'scaffolder'],
        approvers: { from: ['platform-lead'] },
      },
      {
        name: 'changes by agents',
        initiators: ['agent'],
        approvers: { from: ['owner', 'platform-lead'] },
      },
      {
        name: 'stop the platform',
        actions: ['stop-all'],
        entities: { kind: 'Domain' },
        approvers: { from: ['platform-lead', 'group:default/dbas'] },
      },
    ],
  },
  freezes: [
    {
      name: 'year-end',
      reason: 'payments peak',
      start: '2026-01-01T00:00:00+01:00',
      end: '2026-01-31T00:00:00+01:00',
      scope: { system: 'system:default/frozen' },
    },
  ],
};
const TERMINAL = [
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
  'rejected',
  'expired',
];

describe('four-eyes approvals and change freezes, on the sandbox and PostgreSQL', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let knex: Knex;
  let started: Awaited<ReturnType<typeof startRunbookBackend>>;
  const clock = pinnedClock(START);
  const notifications = notificationsRecorder();

  const start = () =>
    startRunbookBackend({
      knex,
      entities: ENTITIES,
      clusterUrl: sandbox.url,
      config: CONFIG,
      rootConfig: { backend: { actions: { pluginSources: ['runbook'] } } },
      features: [clock.factory, notifications.factory, mcpActionsPlugin],
    });

  beforeAll(async () => {
    sandbox = await startSeededSandbox([
      ...SERVICES,
      FROZEN,
      FROZEN_P3,
      ...FLEET,
    ]);
    knex = await databases.init('POSTGRES_15');
    started = await start();
  });
  afterAll(async () => {
    await started?.backend.stop();
    await sandbox?.stop();
  });

  const replicas = async (name: string) =>
    (await sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`))
      .spec.replicas as number;
  const scale = (name: string, to: number, who = OWNER, extra = {}) =>
    started.http
      .post(`/api/runbook/entities/component/default/${name}/runs`)
      .set(as(who))
      .send({
        action: 'scale',
        input: { replicas: to },
        confirm: name,
        reason: 'more capacity',
        ...extra,
      });
  const decide = (
    id: string,
    verb: 'approve' | 'reject',
    who: string,
    body: unknown = { comment: 'checked the diff' },
  ) =>
    started.http
      .post(`/api/runbook/runs/${id}/${verb}`)
      .set(as(who))
      .send(body as object);
  const getRun = async (id: string): Promise<Run> =>
    (await started.http.get(`/api/runbook/runs/${id}`).set(as(OWNER))).body;
  async function waitFor(
    id: string,
    until = (r: Run) => TERMINAL.includes(r.status),
  ) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await getRun(id);
      if (until(run)) return run;
      if (Date.now() > deadline)
        throw new Error(`run ${id} stuck in ${run.status}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }
  const audit = async (runId: string): Promise<AuditRecord[]> =>
    (
      await started.http
        .get(`/api/runbook/audit?run=${runId}&limit=100`)
        .set(as(AUDITOR))
    ).body.items;
  /** Requests a scale that the "production scale" rule holds for approval. */
  async function awaiting(name: string, to = 3): Promise<Run> {
    const res = await scale(name, to);
    expect({ status: res.status, body: res.body.status ?? res.body }).toEqual({
      status: 202,
      body: 'awaiting-approval',
    });
    return res.body;
  }

  it('holds a matching run for approval, then runs it once a lead approves; the audit names both', async () => {
    const before = await replicas('flow');
    const run = await awaiting('flow');
    expect(run.approval).toMatchObject({
      rule: 'production scale',
      required: 1,
      approvers: { groups: ['group:default/platform-lead'], onCallOf: [] },
      initiator: 'person',
      approvals: [],
      expiresAt: '2026-01-07T10:30:00.000Z',
      diff: [
        expect.objectContaining({
          kind: 'Deployment',
          changes: [{ path: 'spec.replicas', before, after: 3 }],
        }),
      ],
    });
    // Nothing ran: the cluster is as it was and no lock is held.
    await new Promise(r => setTimeout(r, 500));
    expect(await replicas('flow')).toBe(before);
    const runbook = (
      await started.http
        .get('/api/runbook/entities/component/default/flow/runbook')
        .set(as(OWNER))
    ).body;
    expect(runbook).toMatchObject({ awaitingRunId: run.id });
    expect(runbook.activeRunId).toBeUndefined();

    // The lead sees it to decide; the requester sees it as theirs; a stranger sees nothing.
    const list = async (who: string, mine: boolean) =>
      (
        await started.http
          .get(`/api/runbook/approvals?mine=${mine}`)
          .set(as(who))
      ).body.items.map((r: Run) => r.id);
    expect(await list(LEAD, false)).toContain(run.id);
    expect(await list(OWNER, true)).toContain(run.id);
    expect(await list(OWNER, false)).not.toContain(run.id);
    expect(await list(STRANGER, false)).not.toContain(run.id);
    expect(
      notifications.sent.find(
        n => n.payload.scope === `runbook-approval:${run.id}:requested`,
      )?.recipients,
    ).toEqual({ type: 'entity', entityRef: ['group:default/platform-lead'] });

    const approved = await decide(run.id, 'approve', LEAD, {
      comment: 'capacity for the sale',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.approval.approvals).toEqual([
      expect.objectContaining({
        actor: LEAD,
        comment: 'capacity for the sale',
      }),
    ]);
    const done = await waitFor(run.id);
    expect(done.status).toBe('succeeded');
    expect(await replicas('flow')).toBe(3);

    const rows = await audit(run.id);
    expect(rows.map(r => [r.event, r.actor])).toEqual(
      expect.arrayContaining([
        ['requested', OWNER],
        ['approved', LEAD],
        ['succeeded', OWNER],
      ]),
    );
    expect(rows.find(r => r.event === 'requested')!.outcome).toBe(
      'awaiting approval (production scale)',
    );
    expect(rows.find(r => r.event === 'succeeded')!.summary).toMatchObject({
      requester: OWNER,
      approvers: [LEAD],
    });
    expect(
      notifications.sent.find(
        n => n.payload.scope === `runbook-approval:${run.id}:decided`,
      )?.recipients,
    ).toEqual({ type: 'entity', entityRef: [OWNER] });
  });

  it('refuses a decision from the requester (four eyes) and from non-approvers, audited', async () => {
    const run = await awaiting('own');
    const mine = await decide(run.id, 'approve', OWNER);
    expect(mine.status).toBe(403);
    expect(mine.body.error.message).toContain('another person must approve it');
    const stranger = await decide(run.id, 'approve', STRANGER);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain(
      'members of group:default/platform-lead',
    );
    const asService = await started.http
      .post(`/api/runbook/runs/${run.id}/approve`)
      .set({ Authorization: mockCredentials.service.header() })
      .send({ comment: 'ok' });
    expect(asService.status).toBe(403);
    expect((await getRun(run.id)).status).toBe('awaiting-approval');
    const denied = (await audit(run.id)).filter(r => r.event === 'denied');
    expect(denied.map(r => r.outcome)).toEqual([
      'approve: the requester may not decide',
      'approve: not an approver',
      'approve: a person must sign in',
    ]);
  });

  it.each([
    ['no comment', {}, 'comment must be a string saying why'],
    ['a blank comment', { comment: '  ' }, 'comment must say why'],
    [
      'a comment over the limit',
      { comment: 'x'.repeat(2001) },
      'comment must be at most 2000 characters',
    ],
    [
      'an unknown field',
      { comment: 'ok', extra: 1 },
      'body: Unrecognized key: "extra"',
    ],
  ])(
    'answers a decision with %s with 400 naming the field',
    async (_, body, message) => {
      const runbook = (
        await started.http
          .get('/api/runbook/entities/component/default/own/runbook')
          .set(as(OWNER))
      ).body;
      const res = await decide(runbook.awaitingRunId, 'approve', LEAD, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
      expect((await getRun(runbook.awaitingRunId)).approval!.approvals).toEqual(
        [],
      );
    },
  );

  it('answers 404 for an unknown run, 415 for a body that is not JSON, 400 for a bad mine', async () => {
    expect(
      (await decide('00000000-0000-4000-8000-000000000000', 'approve', LEAD))
        .status,
    ).toBe(404);
    const text = await started.http
      .post('/api/runbook/runs/x/approve')
      .set(as(LEAD))
      .set('Content-Type', 'text/plain')
      .send('ok');
    expect(text.status).toBe(415);
    const mine = await started.http
      .get('/api/runbook/approvals?mine=yes')
      .set(as(LEAD));
    expect(mine.status).toBe(400);
    expect(mine.body.error.message).toBe('mine must be true or false');
  });

  it('allows one waiting run per entity: a second request is a 409 naming the first', async () => {
    const runbook = (
      await started.http
        .get('/api/runbook/entities/component/default/own/runbook')
        .set(as(OWNER))
    ).body;
    const second = await scale('own', 4);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(
      `already has a run awaiting approval: ${runbook.awaitingRunId}`,
    );
  });

  it('ends a rejected run with the comment and changes nothing', async () => {
    const before = await replicas('reject');
    const run = await awaiting('reject', 5);
    const res = await decide(run.id, 'reject', LEAD, {
      comment: 'not during the sale',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'rejected',
      error: `Rejected by ${LEAD}: not during the sale`,
    });
    expect(await replicas('reject')).toBe(before);
    const rows = await audit(run.id);
    expect(rows.map(r => r.event)).toEqual(['requested', 'rejected']);
    expect(rows[1]).toMatchObject({
      actor: LEAD,
      summary: { requester: OWNER, comment: 'not during the sale' },
    });
    // Decided: a late approval is a conflict, and the entity may be asked again.
    expect((await decide(run.id, 'approve', LEAD2)).status).toBe(409);
    const again = await scale('reject', 4);
    expect(again.status).toBe(202);
  });

  it('expires a run nobody decided on, with no change to the cluster', async () => {
    const before = await replicas('expire');
    const run = await awaiting('expire', 5);
    clock.set('2026-01-07T10:31:00Z');
    try {
      const ended = await waitFor(run.id);
      expect(ended).toMatchObject({
        status: 'expired',
        error: 'No approval before 2026-01-07T10:30:00.000Z',
      });
    } finally {
      clock.set(START);
    }
    expect(await replicas('expire')).toBe(before);
    expect((await audit(run.id)).map(r => [r.event, r.actor])).toEqual([
      ['requested', OWNER],
      ['expired', 'runbook:approvals'],
    ]);
  });

  it('lets the requester withdraw a waiting run by cancelling it', async () => {
    const run = (await awaiting('withdraw', 4)).id;
    const res = await started.http
      .post(`/api/runbook/runs/${run}/cancel`)
      .set(as(OWNER));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('cancelled');
    expect(
      (
        await started.http
          .get('/api/runbook/entities/component/default/withdraw/runbook')
          .set(as(OWNER))
      ).body.awaitingRunId,
    ).toBeUndefined();
    expect((await audit(run)).map(r => r.event)).toEqual([
      'requested',
      'cancelled',
    ]);
  });

  it('executes exactly once when two approvers approve at the same moment', async () => {
    const run = await awaiting('race', 4);
    const answers = await Promise.all([
      decide(run.id, 'approve', LEAD, { comment: 'first' }),
      decide(run.id, 'approve', LEAD2, { comment: 'second' }),
    ]);
    expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
    const done = await waitFor(run.id);
    expect(done.status).toBe('succeeded');
    expect(done.approval!.approvals).toHaveLength(1);
    const rows = await audit(run.id);
    expect(rows.filter(r => r.event === 'approved')).toHaveLength(1);
    expect(rows.filter(r => r.event === 'started')).toHaveLength(1);
  });

  it('answers 409 naming the holder when the entity is locked at approval, and the run keeps waiting', async () => {
    const run = await awaiting('locked', 4);
    // A rollout that never becomes ready holds the lock until it is rolled back.
    const holder = await started.http
      .post('/api/runbook/entities/component/default/locked/runs')
      .set(as(OWNER))
      .send({
        action: 'set-image',
        input: { image: 'nexus-cos/locked:broken' },
        confirm: 'locked',
      });
    expect(holder.status).toBe(202);
    const refused = await decide(run.id, 'approve', LEAD);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      `is locked by run ${holder.body.id}`,
    );
    expect((await getRun(run.id)).status).toBe('awaiting-approval');
    await waitFor(holder.body.id);
    const approved = await decide(run.id, 'approve', LEAD);
    expect(approved.status).toBe(200);
    expect((await waitFor(run.id)).status).toBe('succeeded');
  });

  it('shows approvers the new diff when the live state changed since the request', async () => {
    const run = await awaiting('drift', 5);
    const before = await replicas('drift');
    // Someone scaled it by hand (kubectl) while the request waited.
    await sandbox.send(
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/drift`,
      { spec: { replicas: before + 1 } },
      'application/merge-patch+json',
    );
    const refused = await decide(run.id, 'approve', LEAD);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      'review the new diff and approve again',
    );
    const shown = await getRun(run.id);
    expect(shown.status).toBe('awaiting-approval');
    expect(shown.approval!.diff[0].changes).toEqual([
      { path: 'spec.replicas', before: before + 1, after: 5 },
    ]);
    expect((await decide(run.id, 'approve', LEAD)).status).toBe(200);
    expect((await waitFor(run.id)).status).toBe('succeeded');
  });

  it('loses no waiting run when the backend restarts', async () => {
    const run = await awaiting('restart', 4);
    await started.backend.stop();
    started = await start();
    const listed = (
      await started.http.get('/api/runbook/approvals').set(as(LEAD2))
    ).body.items.map((r: Run) => r.id);
    expect(listed).toContain(run.id);
    expect((await decide(run.id, 'approve', LEAD2)).status).toBe(200);
    expect((await waitFor(run.id)).status).toBe('succeeded');
    expect(await replicas('restart')).toBe(4);
  });

  it('runs a change no rule matches at once', async () => {
    // Restarts are not covered by "production scale": the pipeline is unchanged.
    const res = await started.http
      .post('/api/runbook/entities/component/default/person/runs')
      .set(as(OWNER))
      .send({ action: 'restart', input: {}, confirm: 'person' });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('pending');
    expect(res.body.approval).toBeUndefined();
    expect((await waitFor(res.body.id)).status).toBe('succeeded');
  });

  describe('change freezes', () => {
    async function incident(entity: string, severity: string) {
      const res = await started.http
        .post('/api/runbook/incidents')
        .set(as(OWNER))
        .send({
          title: `checkout errors on ${entity}`,
          severity,
          entityRefs: [`component:default/${entity}`],
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }
    const restart = (name: string, extra = {}) =>
      started.http
        .post(`/api/runbook/entities/component/default/${name}/runs`)
        .set(as(OWNER))
        .send({ action: 'restart', input: {}, confirm: name, ...extra });

    it('refuses a change during a freeze with 409 naming it, and shows the freeze', async () => {
      const res = await restart('frozen');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'component:default/frozen is in the change freeze "year-end" until 2026-01-30T23:00:00.000Z (payments peak); an emergency change names an open P0 or P1 incident of it in emergencyIncident, and needs an approval',
      );
      const runbook = (
        await started.http
          .get('/api/runbook/entities/component/default/frozen/runbook')
          .set(as(OWNER))
      ).body;
      expect(runbook.freeze).toEqual({
        name: 'year-end',
        reason: 'payments peak',
        until: '2026-01-30T23:00:00.000Z',
      });
      // Reads go on: diagnostics is not a change.
      const read = await started.http
        .post('/api/runbook/entities/component/default/frozen/runs')
        .set(as(OWNER))
        .send({ action: 'diagnostics', input: {} });
      expect(read.status).toBe(202);
    });

    it('refuses an emergency that names a P3, an unknown incident, or comes outside a freeze', async () => {
      const p3 = await incident('frozen-p3', 'P3');
      const low = await restart('frozen-p3', { emergencyIncident: p3 });
      expect(low.status).toBe(400);
      expect(low.body.error.message).toBe(
        `emergencyIncident: ${p3} is P3; an emergency needs P0 or P1`,
      );
      const unknown = await restart('frozen-p3', {
        emergencyIncident: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown.status).toBe(400);
      const outside = await restart('person', {
        emergencyIncident: p3,
      });
      expect(outside.status).toBe(400);
      expect(outside.body.error.message).toContain('is in no change freeze');
    });

    it('lets an emergency change with a P1 incident through after approval, marked in audit and timeline', async () => {
      const p1 = await incident('frozen', 'P1');
      const res = await restart('frozen', {
        emergencyIncident: p1,
        reason: 'pods wedged',
      });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        status: 'awaiting-approval',
        approval: {
          rule: 'emergency',
          emergency: { incidentId: p1, freeze: 'year-end' },
          approvers: {
            groups: ['group:default/team-a', 'group:default/platform-lead'],
            onCallOf: ['group:default/team-a'],
          },
        },
      });
      // The auditor is in the owning team: another person of the usual approvers.
      expect((await decide(res.body.id, 'approve', AUDITOR)).status).toBe(200);
      expect((await waitFor(res.body.id)).status).toBe('succeeded');
      const requested = (await audit(res.body.id)).find(
        r => r.event === 'requested',
      )!;
      expect(requested.summary).toMatchObject({
        emergency: { incidentId: p1, freeze: 'year-end' },
      });
      const timeline = (
        await started.http.get(`/api/runbook/incidents/${p1}`).set(as(OWNER))
      ).body.timeline;
      expect(timeline.map((t: any) => t.message)).toContainEqual(
        expect.stringContaining(
          `Emergency change requested during the freeze "year-end": restart on component:default/frozen by ${OWNER}`,
        ),
      );
    });
  });

  describe('fleet runs', () => {
    const stopAll = (scope: string) =>
      started.http
        .post('/api/runbook/fleet/runs')
        .set(as(OWNER))
        .send({ action: 'stop-all', scope, reason: 'maintenance window' });
    const fleetRun = async (id: string) =>
      (await started.http.get(`/api/runbook/fleet/runs/${id}`).set(as(OWNER)))
        .body;
    const decideFleet = (id: string, verb: string, who: string) =>
      started.http
        .post(`/api/runbook/fleet/runs/${id}/${verb}`)
        .set(as(who))
        .send({ comment: 'window agreed' });

    it('holds stop-all on the Domain until an approver who may run it approves; it then runs as them', async () => {
      const res = await stopAll('domain:default/nexus');
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        status: 'awaiting-approval',
        approval: { rule: 'stop the platform', required: 1 },
        children: [
          { entityRef: 'component:default/fleet-a', status: 'not-started' },
          { entityRef: 'component:default/fleet-b', status: 'not-started' },
        ],
      });
      const id = res.body.id;
      expect(await replicas('fleet-a')).toBeGreaterThan(0);
      // Another change of its services waits too: the waiting fleet run covers them.
      const system = await stopAll('system:default/fleetsys');
      expect(system.status).toBe(409);
      expect(system.body.error.message).toContain(`Fleet run ${id}`);

      const listed = (
        await started.http.get('/api/runbook/approvals').set(as(DBA))
      ).body;
      expect(listed.fleet.map((f: any) => f.id)).toEqual([id]);
      expect((await decideFleet(id, 'approve', OWNER)).status).toBe(403);
      // The lead may decide, but not stop these services: the policy lets only the owner
      // and the DBA change them, and whoever completes the count runs it.
      expect((await decideFleet(id, 'approve', LEAD)).status).toBe(403);
      expect((await fleetRun(id)).status).toBe('awaiting-approval');
      expect((await decideFleet(id, 'approve', DBA)).status).toBe(200);
      const deadline = Date.now() + 60_000;
      let fleet = await fleetRun(id);
      while (!['succeeded', 'failed'].includes(fleet.status)) {
        if (Date.now() > deadline) throw new Error(JSON.stringify(fleet));
        await new Promise(r => setTimeout(r, 200));
        fleet = await fleetRun(id);
      }
      expect(fleet.status).toBe('succeeded');
      expect(await replicas('fleet-a')).toBe(0);
      expect(await replicas('fleet-b')).toBe(0);
      const rows = await audit(id);
      expect(rows.map(r => [r.event, r.actor])).toEqual(
        expect.arrayContaining([
          ['requested', OWNER],
          ['approved', DBA],
        ]),
      );
      const child = await getRun(fleet.children[0].runId);
      expect(child.actor).toBe(DBA);
    });

    it('ends a rejected or withdrawn stop-all of the Domain without running it', async () => {
      const first = (await stopAll('domain:default/nexus')).body;
      const rejected = await decideFleet(first.id, 'reject', LEAD);
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        error: `Rejected by ${LEAD}: window agreed`,
      });
      // Nothing ran: no service has a run.
      expect(rejected.body.children.map((c: any) => c.runId)).toEqual([
        undefined,
        undefined,
      ]);
      const second = (await stopAll('domain:default/nexus')).body;
      const withdrawn = await started.http
        .post(`/api/runbook/fleet/runs/${second.id}/cancel`)
        .set(as(OWNER));
      expect(withdrawn.status).toBe(202);
      expect(withdrawn.body.status).toBe('cancelled');
      expect((await audit(second.id)).map(r => r.event)).toEqual([
        'requested',
        'cancelled',
      ]);
    });

    it('runs stop-all on a System at once: only the Domain is ruled', async () => {
      const res = await stopAll('system:default/fleetsys');
      expect(res.status).toBe(202);
      expect(res.body.status).not.toBe('awaiting-approval');
      expect(res.body.approval).toBeUndefined();
    });
  });

  it("holds an agent's MCP scale of a production service for a person's approval", async () => {
    const { port } = started.backend.server.address() as AddressInfo;
    const mcp = new Client({ name: 'approvals-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header(OWNER) },
          },
        },
      ),
    );
    const before = await replicas('agent');
    const result = (await mcp.callTool({
      name: 'runbook.scale',
      arguments: {
        entityRef: 'component:default/agent',
        replicas: 5,
        confirm: 'agent',
        reason: 'the assistant suggests more capacity',
      },
    })) as { isError?: boolean; structuredContent?: any };
    await mcp.close();
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: 'awaiting-approval',
      approval: { rule: 'changes by agents', initiator: 'agent' },
    });
    await new Promise(r => setTimeout(r, 500));
    expect(await replicas('agent')).toBe(before);
    // The person whose token the agent carried may not approve it themselves.
    const id = result.structuredContent.id;
    expect((await decide(id, 'approve', OWNER)).status).toBe(403);
    expect((await decide(id, 'approve', LEAD)).status).toBe(200);
    expect((await waitFor(id)).status).toBe('succeeded');
    expect(await replicas('agent')).toBe(5);
  });
});
