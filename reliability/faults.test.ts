/**
 * Faults during runs: once runs are admitted, the sandbox's API answers 20% of requests
 * with 500, 20% of writes with 409 Conflict, adds 2 s to every request and cuts every
 * watch. Every run still ends, succeeded or failed / rolled back with a reason; no lock is
 * left; each run has exactly one terminal audit row; the chain verifies.
 */
import { Knex } from 'knex';
import {
  OWNER,
  component,
} from '../plugins/runbook-backend/src/__testUtils__/testBackend';
import {
  TERMINAL_EVENTS,
  auditEventsByRun,
  call,
  postgres,
  startBackendOnSandbox,
  startSandboxProcess,
  waitFor,
  waitForTerminalRuns,
} from './lib';

jest.setTimeout(400_000);

const NS = 'nexus-faults';
const SERVICES = Array.from({ length: 8 }, (_, i) => `faulty-${i}`);
const entities = SERVICES.map(name =>
  component(name, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '1-6',
  }),
);
const pg = postgres();

describe('runs under API errors, conflicts, latency and cut watches', () => {
  let sandbox: Awaited<ReturnType<typeof startSandboxProcess>>;
  let knex: Knex;
  let stop: (() => Promise<void>) | undefined;
  let base: string;

  beforeAll(async () => {
    ({ sandbox, knex, base, stop } = await startBackendOnSandbox(
      pg,
      entities,
      10,
    ));
  });

  afterAll(() => stop?.());

  it('ends every run with a verdict and a reason, and releases every lock', async () => {
    const started = await Promise.all(
      SERVICES.map((name, i) =>
        call(
          base,
          OWNER,
          'POST',
          `/entities/component/default/${name}/runs`,
          i % 2
            ? { action: 'scale', input: { replicas: 3 } }
            : { action: 'restart', input: {} },
        ),
      ),
    );
    for (const s of started) expect(s.status).toBe(202);
    const ids = started.map(s => s.body.id as string);
    await sandbox.addFault({ kind: 'api-errors', rate: 0.2 });
    await sandbox.addFault({ kind: 'api-conflicts', rate: 0.2 });
    await sandbox.addFault({ kind: 'api-latency', latencyMs: 2000 });
    await sandbox.addFault({ kind: 'watch-cut', afterMs: 1000 });

    const runs = await waitForTerminalRuns(knex, ids, 300_000);
    await sandbox.clearFaults();
    process.stdout.write(
      `faults: ${runs
        .map(r => `${r.status}${r.error ? ` (${r.error})` : ''}`)
        .join('; ')}\n`,
    );
    for (const run of runs) {
      expect(['succeeded', 'failed', 'rolled-back']).toContain(run.status);
      if (run.status !== 'succeeded') expect(run.error).toMatch(/\w/);
    }
    const events = await auditEventsByRun(knex, ids);
    for (const run of runs) {
      expect({
        id: run.id,
        terminal: events.get(run.id)!.filter(e => TERMINAL_EVENTS.includes(e)),
      }).toEqual({ id: run.id, terminal: [run.status] });
    }
    await waitFor(
      'every lock to be released',
      async () =>
        Number((await knex('runbook_locks').count({ n: '*' }))[0].n) === 0,
      30_000,
    );
    const verify = await call(base, OWNER, 'GET', '/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });
});
