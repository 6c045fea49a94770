/**
 * What the reliability suites share: a fresh PostgreSQL database per suite, a seeded random
 * source (so a failure can be replayed), HTTP calls as a user, and waiting for runs.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { testClock } from '@nexus-cos/sandbox-cluster';
import { Knex } from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  as,
  startRunbookBackend,
} from '../plugins/runbook-backend/src/__testUtils__/testBackend';

export const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];
export const TERMINAL_EVENTS = TERMINAL;

/**
 * The seed of every random choice of a suite: `RELIABILITY_SEED`, else a fixed one. Printed
 * by each suite, so a failing run can be replayed with the same choices.
 */
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20261201);

/** mulberry32: a small seeded generator, enough to choose requests and timings. */
export function random(seed = SEED) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) =>
      min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}

/**
 * The PostgreSQL of `make reliability` (TestDatabases' POSTGRES_15). Call at the top of a
 * suite (TestDatabases adds its clean-up hooks there); `fresh()` then answers a new
 * database, with the connection a child backend needs.
 */
export function postgres() {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  return {
    async fresh(): Promise<{ knex: Knex; connection: unknown }> {
      if (!databases.supports('POSTGRES_15')) {
        throw new Error(
          'the reliability suites need PostgreSQL 15: run them with make reliability',
        );
      }
      const knex = await databases.init('POSTGRES_15');
      return { knex, connection: knex.client.config.connection };
    },
  };
}

export type Answer = { status: number; body: any };

/** One call of the runbook API at `base` (a backend's URL) as `user`. */
export async function call(
  base: string,
  user: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}/api/runbook${path}`, {
    method,
    headers: {
      ...as(user),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text, e.g. an export.
  }
  return { status: res.status, body: parsed };
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls `probe` until it answers something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Waits until every run of `ids` is terminal in the database; answers their rows. */
export async function waitForTerminalRuns(
  knex: Knex,
  ids: string[],
  timeoutMs: number,
) {
  return waitFor(
    `${ids.length} runs to end`,
    async () => {
      const rows = await knex('runbook_runs')
        .whereIn('id', ids)
        .select('id', 'status', 'error');
      return rows.length === ids.length &&
        rows.every(r => TERMINAL.includes(r.status))
        ? rows
        : undefined;
    },
    timeoutMs,
    500,
  );
}

/** The audit rows of these runs, by run and event. */
export async function auditEventsByRun(knex: Knex, ids: string[]) {
  const rows = await knex('runbook_audit')
    .whereIn('run_id', ids)
    .select('run_id', 'event');
  const byRun = new Map<string, string[]>(ids.map(id => [id, []]));
  for (const r of rows) byRun.get(r.run_id)!.push(r.event);
  return byRun;
}

/**
 * A sandbox cluster in its own process (as a real cluster is another machine), seeded with
 * exactly these entities (or, without them, the repo's catalog), load curves pinned at the
 * test clock; `faults` drives its fault injection over its admin API.
 */
export async function startSandboxProcess(entities?: Entity[]) {
  let catalog: string[] = [];
  if (entities) {
    const catalogDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'reliability-catalog-'),
    );
    fs.writeFileSync(
      path.join(catalogDir, 'services.yaml'),
      entities.map(e => JSON.stringify(e)).join('\n---\n'),
    );
    catalog = ['--catalog', catalogDir];
  }
  const child = spawn(
    path.resolve(__dirname, '../packages/sandbox-cluster/bin/sandbox-cluster'),
    [
      '--port',
      '0',
      '--timings',
      'fast',
      '--start-at',
      testClock().toISOString(),
      ...catalog,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const m = /serving the Kubernetes API at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', code =>
      reject(new Error(`sandbox exited with ${code}: ${out}`)),
    );
  });
  const get = async (apiPath: string): Promise<any> => {
    const res = await fetch(`${url}${apiPath}`);
    return res.status === 404 ? undefined : res.json();
  };
  await waitFor(
    'the sandbox deployments to be ready',
    async () => {
      const { items } = await get('/apis/apps/v1/deployments');
      return (
        items.length >= (entities?.length ?? 1) &&
        items.every(
          (d: any) => (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 0),
        )
      );
    },
    120_000,
  );
  const faults = async (method: string, body?: object) => {
    const res = await fetch(`${url}/sandbox/faults`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body && JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`sandbox faults: ${res.status} ${await res.text()}`);
  };
  return {
    url,
    get,
    addFault: (spec: object) => faults('POST', spec),
    clearFaults: () => faults('DELETE'),
    stop: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }
      }),
  };
}

/**
 * A sandbox in its own process and one runbook backend on a fresh PostgreSQL database,
 * reached over HTTP at `base`: the setup of the load and fault suites.
 */
export async function startBackendOnSandbox(
  pg: ReturnType<typeof postgres>,
  entities: Entity[],
  lockTtlSeconds: number,
) {
  const sandbox = await startSandboxProcess(entities);
  const { knex } = await pg.fresh();
  const { backend } = await startRunbookBackend({
    knex,
    entities,
    clusterUrl: sandbox.url,
    config: {
      defaults: { rolloutTimeoutSeconds: 60 },
      engine: {
        pollIntervalMs: 250,
        lockTtlSeconds,
        janitorIntervalSeconds: 2,
      },
    },
  });
  const { port } = backend.server.address() as { port: number };
  return {
    sandbox,
    knex,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      await backend.stop();
      await sandbox.stop();
    },
  };
}
