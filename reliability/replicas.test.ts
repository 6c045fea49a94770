/**
 * Replicas: two backend processes on one PostgreSQL behind a round-robin client. Of 50
 * concurrent runs on one service spread over both, exactly one executes; a run started on
 * one replica is visible on the other and cancelled from it.
 */
import { Knex } from 'knex';
import {
  OWNER,
  component,
} from '../plugins/runbook-backend/src/__testUtils__/testBackend';
import { startSeededSandbox } from '../plugins/runbook-backend/src/__testUtils__/sandbox';
import {
  ChildBackend,
  startChildBackend,
} from '../plugins/runbook-backend/src/__testUtils__/childBackend';
import {
  TERMINAL_EVENTS,
  auditEventsByRun,
  call,
  postgres,
  waitFor,
  waitForTerminalRuns,
} from './lib';

jest.setTimeout(240_000);

const NS = 'nexus-replicas';
const entities = ['contended', 'cancelled'].map(name =>
  component(name, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '1-6',
  }),
);
const config = {
  defaults: { rolloutTimeoutSeconds: 60 },
  // A lock outlives a loaded machine's pauses: only a dead owner loses it.
  engine: {
    pollIntervalMs: 100,
    lockTtlSeconds: 15,
    janitorIntervalSeconds: 1,
  },
};
const pg = postgres();

describe('two backend replicas on one PostgreSQL', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let knex: Knex;
  let replicas: ChildBackend[] = [];
  let turn = 0;
  /** The round-robin client: each call goes to the next replica. */
  const next = () => replicas[turn++ % replicas.length].url;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(entities);
    const db = await pg.fresh();
    knex = db.knex;
    // One after the other: both migrate the same database.
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startChildBackend({
          connection: db.connection,
          clusterUrl: sandbox.url,
          entities,
          config,
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.kill()));
    replicas = [];
    await sandbox?.stop();
  });

  it('executes exactly one of 50 concurrent runs on one service', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(
          next(),
          OWNER,
          'POST',
          '/entities/component/default/contended/runs',
          {
            action: 'scale',
            input: { replicas: 3 },
          },
        ),
      ),
    );
    const statuses = answers.map(a => a.status);
    expect({
      accepted: statuses.filter(s => s === 202).length,
      refused: statuses.filter(s => s === 409).length,
    }).toEqual({ accepted: 1, refused: 49 });
    const winner = answers.find(a => a.status === 202)!.body.id as string;
    const [run] = await waitForTerminalRuns(knex, [winner], 60_000);
    expect({ status: run.status, error: run.error }).toEqual({
      status: 'succeeded',
      error: null,
    });
    // One run recorded, one executed: the deployment was scaled once, to 3.
    expect(
      await knex('runbook_runs').where(
        'entity_ref',
        'component:default/contended',
      ),
    ).toHaveLength(1);
    const d = await sandbox.get(
      `/apis/apps/v1/namespaces/${NS}/deployments/contended`,
    );
    expect(d.spec.replicas).toBe(3);
    const events = (await auditEventsByRun(knex, [winner])).get(winner)!;
    expect(events.filter(e => e === 'requested')).toHaveLength(1);
    expect(events.filter(e => TERMINAL_EVENTS.includes(e))).toEqual([
      'succeeded',
    ]);
  });

  it('shows a run started on one replica on the other, which cancels it', async () => {
    const [a, b] = replicas.map(r => r.url);
    // A rollout that never becomes ready: it runs until cancelled (or its 60 s timeout).
    const started = await call(
      a,
      OWNER,
      'POST',
      '/entities/component/default/cancelled/runs',
      { action: 'set-image', input: { image: 'nexus-cos/cancelled:broken' } },
    );
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    await waitFor(
      'the run to be running, as seen from the other replica',
      async () =>
        (await call(b, OWNER, 'GET', `/runs/${id}`)).body.status === 'running',
      30_000,
    );
    const onB = await call(
      b,
      OWNER,
      'GET',
      '/entities/component/default/cancelled/runs',
    );
    expect(onB.body.items.map((r: { id: string }) => r.id)).toContain(id);

    const cancel = await call(b, OWNER, 'POST', `/runs/${id}/cancel`);
    expect(cancel.status).toBeLessThan(300);
    const [run] = await waitForTerminalRuns(knex, [id], 60_000);
    expect(run.status).toBe('cancelled');
    // Cancelled well before the rollout's own 60 s timeout, and undone.
    const d = await sandbox.get(
      `/apis/apps/v1/namespaces/${NS}/deployments/cancelled`,
    );
    expect(d.spec.template.spec.containers[0].image).toBe(
      'nexus-cos/cancelled:1.0.0',
    );
    for (const url of [a, b]) {
      expect((await call(url, OWNER, 'GET', `/runs/${id}`)).body.status).toBe(
        'cancelled',
      );
    }
    await waitFor(
      'the lock to be released',
      async () =>
        Number((await knex('runbook_locks').count({ n: '*' }))[0].n) === 0,
      10_000,
    );
    const verify = await call(next(), OWNER, 'GET', '/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });
});
