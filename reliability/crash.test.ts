/**
 * Crash: the backend process is killed (SIGKILL, nothing flushed) at random points of 20
 * runs, four times five runs at once, and started again each time. Afterwards every run
 * is terminal, no lock is left, every run has exactly one terminal audit row and the
 * chain verifies.
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
  SEED,
  TERMINAL_EVENTS,
  auditEventsByRun,
  call,
  postgres,
  random,
  sleep,
  waitFor,
  waitForTerminalRuns,
} from './lib';

jest.setTimeout(300_000);

const NS = 'nexus-crash';
const SERVICES = ['crash-a', 'crash-b', 'crash-c', 'crash-d', 'crash-e'];
const CYCLES = 4;
const entities = SERVICES.map(name =>
  component(name, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '1-6',
  }),
);
const config = {
  defaults: { rolloutTimeoutSeconds: 30 },
  engine: { pollIntervalMs: 100, lockTtlSeconds: 2, janitorIntervalSeconds: 1 },
};

const pg = postgres();

describe('kill -9 at random points of 20 runs', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let knex: Knex;
  let connection: unknown;
  let backend: ChildBackend | undefined;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(entities);
    ({ knex, connection } = await pg.fresh());
  });

  afterAll(async () => {
    await backend?.kill();
    await sandbox?.stop();
  });

  it('leaves every run terminal, no lock, one terminal row per run and a sound chain', async () => {
    const rnd = random(SEED);
    const runIds: string[] = [];
    const killedAfter: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      backend = await startChildBackend({
        connection,
        clusterUrl: sandbox.url,
        entities,
        config,
      });
      const base = backend.url;
      // The previous process's runs are ended by this one before new runs can take the lock.
      await waitFor(
        'the locks of the killed backend to be released',
        async () =>
          Number((await knex('runbook_locks').count({ n: '*' }))[0].n) === 0,
        30_000,
      );
      const started = await Promise.all(
        SERVICES.map(async (name, i) => {
          // Restarts and scales, so that some are killed mid-rollout, some while converging.
          const scale = (cycle + i) % 2 === 0;
          const current = (
            await sandbox.get(
              `/apis/apps/v1/namespaces/${NS}/deployments/${name}`,
            )
          ).spec.replicas as number;
          return call(
            base,
            OWNER,
            'POST',
            `/entities/component/default/${name}/runs`,
            scale
              ? {
                  action: 'scale',
                  input: { replicas: current === 2 ? 3 : 2 },
                }
              : { action: 'restart', input: {} },
          );
        }),
      );
      for (const s of started) {
        expect(s).toMatchObject({ status: 202 });
        runIds.push(s.body.id);
      }
      const wait = rnd.int(0, 3000);
      killedAfter.push(wait);
      await sleep(wait);
      await backend.kill();
      backend = undefined;
    }
    // A last backend picks up whatever the last kill left behind.
    backend = await startChildBackend({
      connection,
      clusterUrl: sandbox.url,
      entities,
      config,
    });

    const runs = await waitForTerminalRuns(knex, runIds, 120_000);
    expect(runs).toHaveLength(CYCLES * SERVICES.length);
    // Each run that did not finish says why.
    for (const run of runs.filter(r => r.status !== 'succeeded')) {
      expect(run.error).toEqual(expect.any(String));
    }
    // No lock outlives its run (the janitor took the killed owners' locks).
    await waitFor(
      'every lock to be released',
      async () =>
        Number((await knex('runbook_locks').count({ n: '*' }))[0].n) === 0,
      30_000,
    );
    const events = await auditEventsByRun(knex, runIds);
    for (const id of runIds) {
      const terminal = events.get(id)!.filter(e => TERMINAL_EVENTS.includes(e));
      expect({ id, terminal }).toEqual({
        id,
        terminal: [runs.find(r => r.id === id)!.status],
      });
    }
    const verify = await call(backend.url, OWNER, 'GET', '/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    // The same service takes a new run: nothing is stuck.
    const next = await call(
      backend.url,
      OWNER,
      'POST',
      `/entities/component/default/${SERVICES[0]}/runs`,
      { action: 'restart', input: {} },
    );
    expect(next.status).toBe(202);
    // For the log: where the kills fell (seed and waits replay the run).
    process.stdout.write(
      `crash: seed ${SEED}, killed after ${killedAfter.join(', ')} ms; ${runs
        .map(r => r.status)
        .join(', ')}\n`,
    );
  });
});
