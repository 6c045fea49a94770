/**
 * Load: 200 concurrent clients for 60 s (RELIABILITY_LOAD_SECONDS) against one backend on
 * PostgreSQL and a sandbox cluster, mixing health reads, runs on many services (by their
 * owner, and by someone who may not), incident declarations and audit reads. Afterwards:
 * no 5xx; one `requested` audit row per accepted run and none for any other; one
 * denial row per 403; every run terminal with exactly one terminal row; one incident per
 * 201; no lock left; the chain verifies.
 */
import { Knex } from 'knex';
import {
  OWNER,
  STRANGER,
  component,
} from '../plugins/runbook-backend/src/__testUtils__/testBackend';
import {
  Answer,
  SEED,
  TERMINAL_EVENTS,
  auditEventsByRun,
  call,
  postgres,
  random,
  startBackendOnSandbox,
  waitFor,
  waitForTerminalRuns,
} from './lib';

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
const CLIENTS = 200;
jest.setTimeout((SECONDS + 240) * 1000);

const NS = 'nexus-load';
const SERVICES = Array.from({ length: 16 }, (_, i) => `load-${i}`);
const entities = SERVICES.map(name =>
  component(name, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '1-6',
  }),
);
const ref = (name: string) => `component:default/${name}`;
const pg = postgres();

describe(`${CLIENTS} clients for ${SECONDS} s`, () => {
  let knex: Knex;
  let stop: (() => Promise<void>) | undefined;
  let base: string;

  beforeAll(async () => {
    ({ knex, base, stop } = await startBackendOnSandbox(pg, entities, 15));
  });

  afterAll(() => stop?.());

  it('loses nothing and fails nothing', async () => {
    const rnd = random(SEED);
    const accepted: string[] = [];
    const fiveHundreds: string[] = [];
    const tally: Record<string, Record<number, number>> = {};
    let denied = 0;
    let declared = 0;
    const count = (kind: string, answer: Answer) => {
      tally[kind] ??= {};
      tally[kind][answer.status] = (tally[kind][answer.status] ?? 0) + 1;
      if (answer.status >= 500) {
        fiveHundreds.push(
          `${kind}: ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
      return answer;
    };
    const runBody = () =>
      rnd.next() < 0.7
        ? { action: 'scale', input: { replicas: rnd.int(1, 4) } }
        : { action: 'restart', input: {} };

    const deadline = Date.now() + SECONDS * 1000;
    const client = async () => {
      while (Date.now() < deadline) {
        const dice = rnd.next();
        const service = rnd.pick(SERVICES);
        if (dice < 0.45) {
          count(
            'health',
            await call(
              base,
              STRANGER,
              'GET',
              `/entities/component/default/${service}/health`,
            ),
          );
        } else if (dice < 0.65) {
          const answer = count(
            'run (owner)',
            await call(
              base,
              OWNER,
              'POST',
              `/entities/component/default/${service}/runs`,
              runBody(),
            ),
          );
          if (answer.status === 202) accepted.push(answer.body.id);
        } else if (dice < 0.75) {
          const answer = count(
            'run (not allowed)',
            await call(
              base,
              STRANGER,
              'POST',
              `/entities/component/default/${service}/runs`,
              runBody(),
            ),
          );
          if (answer.status === 403) denied += 1;
        } else if (dice < 0.9) {
          const answer = count(
            'incident',
            await call(base, OWNER, 'POST', '/incidents', {
              title: `Load ${rnd.int(0, 1e6)}`,
              severity: rnd.pick(['P0', 'P1', 'P2', 'P3']),
              entityRefs: [ref(service)],
            }),
          );
          if (answer.status === 201) declared += 1;
        } else if (dice < 0.95) {
          count('all health', await call(base, STRANGER, 'GET', '/health'));
        } else {
          count(
            'audit',
            await call(
              base,
              OWNER,
              'GET',
              `/audit?limit=50&entity=${ref(service)}`,
            ),
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    process.stdout.write(
      `load: seed ${SEED}, ${CLIENTS} clients, ${SECONDS} s: ${JSON.stringify(
        tally,
      )}\n`,
    );

    // Nothing failed on the server's side.
    expect(fiveHundreds).toEqual([]);
    // Someone who may not run is always refused, and each refusal is audited.
    expect(Object.keys(tally['run (not allowed)'] ?? {})).toEqual(['403']);
    // Every declaration was valid, and each was taken.
    expect(Object.keys(tally.incident ?? {})).toEqual(['201']);
    expect(accepted.length).toBeGreaterThan(SERVICES.length);

    // Every accepted run ends, with exactly one terminal row saying how.
    const runs = await waitForTerminalRuns(knex, accepted, 180_000);
    const events = await auditEventsByRun(knex, accepted);
    for (const run of runs) {
      const mine = events.get(run.id)!;
      expect({
        id: run.id,
        requested: mine.filter(e => e === 'requested').length,
        terminal: mine.filter(e => TERMINAL_EVENTS.includes(e)),
      }).toEqual({ id: run.id, requested: 1, terminal: [run.status] });
    }
    // No run exists, and none was audited as requested, but the accepted ones.
    expect(await knex('runbook_runs').count({ n: '*' })).toEqual([
      { n: String(accepted.length) },
    ]);
    const requested = await knex('runbook_audit')
      .where('event', 'requested')
      .distinct('run_id');
    expect(requested.map(r => r.run_id).sort()).toEqual([...accepted].sort());
    expect(
      await knex('runbook_audit')
        .where({ event: 'denied', actor: STRANGER })
        .count({ n: '*' }),
    ).toEqual([{ n: String(denied) }]);
    expect(await knex('runbook_incidents').count({ n: '*' })).toEqual([
      { n: String(declared) },
    ]);
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
