/*
 * bench/audit: the hash-chained audit trail.
 *   - Append throughput of the trail (AuditTrail.record: on PostgreSQL one statement that
 *     reads the head, hashes the RFC 8785 JSON and inserts; on SQLite a transaction that
 *     does the same in Node) against plain inserts of
 *     the same rows into a table with the same columns and indexes, without a chain, one writer and eight, on SQLite and on
 *     PostgreSQL.
 *   - `GET /audit/verify` on a portal whose trail holds 100,000 and then 1,000,000 rows,
 *     and `GET /audit` queries (filters, pages, newest first) at 1,000,000 rows.
 * The large trails are written straight into the runbook's table of the portal's
 * PostgreSQL, each row chained to the one before exactly as the trail chains them.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import {
  AuditStore,
  AuditRow,
} from '../../plugins/runbook-backend/src/audit/AuditStore';
import { AuditTrail } from '../../plugins/runbook-backend/src/audit/AuditTrail';
import {
  GENESIS_HASH,
  canonicalJson,
  hashRow,
} from '../../plugins/runbook-backend/src/audit/chain';
import { applyDatabaseMigrations } from '../../plugins/runbook-backend/src/migrations';
import {
  REPO_CATALOG,
  startPortal,
  startPostgres,
  startSandbox,
  stopAll,
  waitForServices,
  work,
} from '../harness';
import {
  LATENCY_COLUMNS,
  Stats,
  Target,
  fmt,
  latencyRow,
  report,
  stats,
  timeRequests,
} from '../lib';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 3000);
const LARGE = Number(process.env.BENCH_AUDIT_ROWS ?? 1_000_000);
const ENTITIES = Array.from(
  { length: 43 },
  (_, i) => `component:default/service-${i}`,
);
const ACTORS = Array.from({ length: 20 }, (_, i) => `user:default/user-${i}`);
const ACTIONS = [
  'scale',
  'restart',
  'set-image',
  'rollback',
  'stop',
  'start',
  'set-resources',
  'diagnostics',
];
const EVENTS = ['requested', 'started', 'succeeded'];

/** The AuditorService and LoggerService the trail reports to, doing nothing. */
const quiet = {
  auditor: {
    async createEvent() {
      return { async success() {}, async fail() {} };
    },
  } as any,
  logger: {
    info() {},
    warn() {},
    error() {},
    debug() {},
    child: () => quiet.logger,
  } as any,
};

/** The n-th event of a plausible trail: three events per run, runs over 43 services. */
function entry(n: number) {
  const run = Math.floor(n / 3);
  return {
    event: EVENTS[n % 3] as 'requested',
    actor: ACTORS[run % ACTORS.length],
    entityRef: ENTITIES[run % ENTITIES.length],
    action: ACTIONS[run % ACTIONS.length],
    runId: `00000000-0000-4000-8000-${String(run).padStart(12, '0')}`,
    outcome: EVENTS[n % 3] === 'succeeded' ? 'scaled to 3 replicas' : 'ok',
    params: { replicas: 3, reason: 'load test' },
    summary: { before: { replicas: 2 }, after: { replicas: 3 } },
    durationMs: n % 3 === 2 ? 8000 : undefined,
  };
}

async function throughput(label: string, db: Knex) {
  await applyDatabaseMigrations(db);
  await db.schema.dropTableIfExists('bench_plain');
  await db.schema.createTable('bench_plain', t => {
    t.bigIncrements('seq').primary();
    for (const c of [
      'at',
      'event',
      'actor',
      'entity_ref',
      'action',
      'run_id',
      'prev_hash',
      'hash',
    ]) {
      t.string(c, 255);
    }
    for (const c of ['outcome', 'params', 'summary']) t.text(c);
    t.integer('duration_ms');
    // The audit table's indexes: the comparison is the chain, not the indexes.
    t.index(['entity_ref', 'seq']);
    t.index(['actor', 'seq']);
    t.index(['action', 'seq']);
    t.index(['run_id', 'seq']);
    t.index(['at']);
  });
  const trail = new AuditTrail({
    store: new AuditStore(db),
    anchorEvery: 100,
    ...quiet,
  });
  const plainRow = (n: number) => {
    const e = entry(n);
    return {
      at: new Date().toISOString(),
      event: e.event,
      actor: e.actor,
      entity_ref: e.entityRef,
      action: e.action,
      run_id: e.runId,
      outcome: e.outcome,
      params: JSON.stringify(e.params),
      summary: JSON.stringify(e.summary),
      duration_ms: e.durationMs ?? null,
      prev_hash: '',
      hash: '',
    };
  };
  const rate = async (
    writers: number,
    write: (n: number) => Promise<unknown>,
  ) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < APPENDS) await write(next++);
      }),
    );
    return APPENDS / ((performance.now() - started) / 1000);
  };
  const rows: string[][] = [];
  const ratios: number[] = [];
  for (const writers of [1, 8]) {
    const plain = await rate(writers, n =>
      db('bench_plain').insert(plainRow(n)),
    );
    const chained = await rate(writers, n => trail.record(entry(n)));
    ratios.push(chained / plain);
    rows.push([
      `${label}, ${writers} writer${writers > 1 ? 's' : ''}`,
      plain.toFixed(0),
      chained.toFixed(0),
      `${((chained / plain) * 100).toFixed(0)}%`,
    ]);
  }
  const verify = await trail.verify();
  if (!verify.ok)
    throw new Error(`${label}: the chain does not verify: ${verify.problem}`);
  await db.schema.dropTable('bench_plain');
  return { rows, ratios };
}

/**
 * Appends rows after the head until the trail holds `until`, in batches, chained as
 * AuditTrail chains them. The portal may append rows of its own meanwhile (its start-up
 * sweeps): each batch starts from the head as it is, and is written again after it if
 * the portal took its first place.
 */
async function seedTrail(db: Knex, until: number) {
  const start = Date.parse('2025-12-01T00:00:00Z');
  const store = new AuditStore(db);
  for (;;) {
    const head = (await store.head()) ?? { seq: 0, hash: GENESIS_HASH };
    let { seq, hash } = head;
    if (seq >= until) return;
    const batch: AuditRow[] = [];
    for (let i = 0; i < 2000 && seq < until; i++) {
      seq += 1;
      const e = entry(seq);
      const unsealed = {
        seq,
        at: new Date(start + seq * 30_000).toISOString(),
        event: e.event,
        actor: e.actor,
        entity_ref: e.entityRef,
        action: e.action,
        run_id: e.runId,
        outcome: e.outcome,
        params: canonicalJson(e.params),
        summary: canonicalJson(e.summary),
        duration_ms: e.durationMs ?? null,
        prev_hash: hash,
      };
      hash = hashRow(unsealed);
      batch.push({ ...unsealed, hash });
    }
    try {
      await db('runbook_audit').insert(batch);
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
}

async function main() {
  const postgres = await startPostgres();
  const targets: Target[] = [];
  const notes: string[] = [];

  // --- Append throughput, in process ---
  const sqliteFile = path.join(work(), 'audit-throughput.sqlite');
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: sqliteFile },
    useNullAsDefault: true,
  });
  console.log(`audit: ${APPENDS} appends per run, SQLite`);
  const onSqlite = await throughput('SQLite', sqlite);
  await sqlite.destroy();
  fs.rmSync(sqliteFile, { force: true });
  const appendRows = [...onSqlite.rows];
  const ratios = [...onSqlite.ratios];
  if (postgres) {
    const admin = knexFactory({ client: 'pg', connection: postgres });
    await admin.raw('CREATE DATABASE audit_throughput');
    await admin.destroy();
    const url = new URL(postgres);
    url.pathname = '/audit_throughput';
    const pg = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 1, max: 10 },
    });
    console.log(`audit: ${APPENDS} appends per run, PostgreSQL`);
    const onPg = await throughput('PostgreSQL 15', pg);
    await pg.destroy();
    appendRows.push(...onPg.rows);
    ratios.push(...onPg.ratios);
  } else {
    notes.push(
      'PostgreSQL 15 is not installed: the PostgreSQL figures are missing.',
    );
  }
  const worst = Math.min(...ratios);
  targets.push({
    target: 'audit append with the chain ≥ 50% of plain-insert throughput',
    measured: `${(worst * 100).toFixed(0)}% at worst (${appendRows
      .map(r => `${r[0]}: ${r[3]}`)
      .join('; ')})`,
    met: worst >= 0.5,
  });

  const tables = [
    {
      title: `Append throughput, ${APPENDS} rows per run (rows/s); plain: the same rows and indexes, no chain`,
      columns: [
        'database, writers',
        'plain insert',
        'audit trail',
        'trail/plain',
      ],
      rows: appendRows,
    },
  ];

  // --- Verify and query on a portal, at 100k and 1M rows ---
  if (postgres) {
    const sandbox = await startSandbox('sandbox-audit');
    const portal = await startPortal({
      name: 'audit',
      clusters: [{ name: 'sandbox', url: sandbox.url }],
      catalogLocations: [REPO_CATALOG],
      postgres,
    });
    await waitForServices(portal, 43);
    const url = new URL(postgres);
    url.pathname = '/audit_runbook';
    const db = knexFactory({ client: 'pg', connection: url.toString() });
    const auth = { headers: { Authorization: `Bearer ${portal.token}` } };
    const verifyRows: string[][] = [];
    const verifyTimes: Record<number, number> = {};
    for (const size of [100_000, LARGE]) {
      console.log(`audit: writing the trail up to ${size} rows`);
      await seedTrail(db, size);
      await db.raw('ANALYZE runbook_audit');
      const started = performance.now();
      const res = await fetch(`${portal.url}/api/runbook/audit/verify`, auth);
      const body = (await res.json()) as { ok: boolean; checked: number };
      const ms = performance.now() - started;
      const checked = await db('runbook_audit').count({ n: '*' });
      if (!body.ok || body.checked !== Number(checked[0].n)) {
        throw new Error(`verify at ${size}: ${JSON.stringify(body)}`);
      }
      verifyTimes[size] = ms;
      verifyRows.push([
        size.toLocaleString('en-US'),
        (ms / 1000).toFixed(2),
        (size / (ms / 1000)).toFixed(0),
      ]);
    }
    tables.push({
      title: 'GET /audit/verify (PostgreSQL 15)',
      columns: ['rows', 'seconds', 'rows/s'],
      rows: verifyRows,
    });
    targets.push({
      target: `verify ${LARGE.toLocaleString('en-US')} rows in < 10 s`,
      measured: `${(verifyTimes[LARGE] / 1000).toFixed(1)} s`,
      met: verifyTimes[LARGE] < 10_000,
    });

    const mid = Math.floor(LARGE / 2);
    const queries: Array<[string, string]> = [
      ['first page', ''],
      ['newest first', 'order=desc'],
      ['by entity', `entity=${ENTITIES[7]}`],
      ['by entity, newest first', `entity=${ENTITIES[7]}&order=desc`],
      ['by actor', `actor=${ACTORS[3]}`],
      ['by action', 'action=rollback'],
      ['by outcome', 'outcome=scaled%20to%203%20replicas'],
      ['by run', `run=${entry(mid).runId}`],
      ['a day', 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z'],
      [
        'a day, newest first',
        'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&order=desc',
      ],
      [
        'entity and action',
        `entity=${ENTITIES[7]}&action=${ACTIONS[7 % ACTIONS.length]}`,
      ],
      ['a page deep in the trail', `cursor=${mid}`],
    ];
    console.log(
      `audit: ${queries.length} kinds of GET /audit at ${LARGE} rows`,
    );
    const all: number[] = [];
    const queryRows: Array<[string, Stats]> = [];
    for (const [label, query] of queries) {
      const s = await timeRequests([...Array(20).keys()], 1, (_, signal) =>
        fetch(`${portal.url}/api/runbook/audit?limit=100&${query}`, {
          ...auth,
          signal,
        }),
      );
      all.push(...s.ms);
      queryRows.push([label, stats(s)]);
    }
    const overall = stats({ ms: all, timeouts: 0 });
    tables.push({
      title: `GET /audit?limit=100 at ${LARGE.toLocaleString(
        'en-US',
      )} rows (PostgreSQL 15), 20 each`,
      columns: LATENCY_COLUMNS,
      rows: [
        ...queryRows.map(([l, s]) => latencyRow(l, s)),
        latencyRow('all of the above', overall),
      ],
    });
    const slowest = queryRows.reduce((a, b) => (b[1].p95 > a[1].p95 ? b : a));
    notes.push(
      `GET /audit at ${LARGE.toLocaleString('en-US')} rows: p95 ${fmt(
        overall.p95,
      )} ms over every kind of query; the slowest kind, ${slowest[0]}, ${fmt(
        slowest[1].p95,
      )} ms (the issue sets no figure for it).`,
    );
    await db.destroy();
  }

  report({
    name: 'audit',
    title: 'audit: chain throughput, verification and queries',
    tables,
    targets,
    notes,
    summary: `the chain keeps ${(worst * 100).toFixed(
      0,
    )}% of plain-insert throughput at worst${
      targets[1]
        ? `; ${targets[1].measured} to verify ${LARGE.toLocaleString(
            'en-US',
          )} rows`
        : ''
    }`,
  });
}

main()
  .catch(error => {
    // A failed batch insert's message holds the whole statement: its first line is enough.
    console.error(`bench/audit: ${String(error.message).slice(0, 500)}`);
    process.exitCode = 1;
  })
  // A failure can leave database pools open: exit once everything is stopped.
  .finally(() => stopAll().then(() => process.exit()));
