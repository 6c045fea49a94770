/*
 * bench/incidents: an entity's incident history (`GET /incidents?entity=E`, as the
 * Incidents card asks) and its stats (`GET /entities/E/incidents/stats`: counts, MTTA,
 * MTTR) with 100,000 incidents over the 43 Nexus COS services, on PostgreSQL. The
 * incidents are written straight into the runbook's tables of a portal this benchmark
 * starts, as five years of a busy platform would have left them.
 */
import type { Entity } from '@backstage/catalog-model';
import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import {
  REPO_CATALOG,
  startPortal,
  startPostgres,
  startSandbox,
  stopAll,
  waitForServices,
} from '../harness';
import {
  LATENCY_COLUMNS,
  latencyRow,
  listServices,
  report,
  stats,
  timeRequests,
} from '../lib';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEVERITIES = ['P0', 'P1', 'P2', 'P3'];
const HOUR = 3_600_000;

/** A deterministic sequence, so that every run seeds the same incidents. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

async function seed(postgres: string, database: string, refs: string[]) {
  const url = new URL(postgres);
  url.pathname = `/${database}`;
  const db = knexFactory({ client: 'pg', connection: url.toString() });
  const next = random(16);
  const now = Date.now();
  try {
    for (let done = 0; done < INCIDENTS; done += 1000) {
      const incidents: Record<string, unknown>[] = [];
      const entities: Record<string, unknown>[] = [];
      const timeline: Record<string, unknown>[] = [];
      for (let i = done; i < Math.min(INCIDENTS, done + 1000); i++) {
        const id = randomUUID();
        const detected = now - Math.floor(next() * 5 * 365 * 24 * HOUR);
        const open = i % 200 === 0;
        const acknowledged = detected + Math.floor(next() * HOUR);
        const resolved = acknowledged + Math.floor(next() * 8 * HOUR);
        const severity = SEVERITIES[Math.floor(next() * 4)];
        const status = open ? 'responding' : 'post-mortem';
        incidents.push({
          id,
          title: `Incident ${i}`,
          severity,
          status,
          reporter: 'user:default/alice',
          source: i % 3 ? 'alertmanager' : 'manual',
          detected_at: detected,
          acknowledged_at: acknowledged,
          acknowledged_by: 'user:default/alice',
          responding_at: acknowledged,
          resolved_at: open ? null : resolved,
          postmortem_at: open ? null : resolved + HOUR,
          respond_by: detected + 15 * 60_000,
          escalation_level: 0,
        });
        const affected = new Set([refs[i % refs.length]]);
        if (i % 10 === 0) affected.add(refs[(i * 7) % refs.length]);
        // As the store writes them: the incident's history and stats columns copied.
        for (const ref of affected)
          entities.push({
            incident_id: id,
            entity_ref: ref,
            detected_at: detected,
            severity,
            status,
            acknowledged_at: acknowledged,
            resolved_at: open ? null : resolved,
          });
        timeline.push({
          incident_id: id,
          at: detected,
          author: 'user:default/alice',
          kind: 'declared',
          message: 'Declared',
        });
      }
      await db.transaction(async trx => {
        await trx('runbook_incidents').insert(incidents);
        await trx('runbook_incident_entities').insert(entities);
        await trx('runbook_incident_timeline').insert(timeline);
      });
    }
    await db.raw('ANALYZE');
  } finally {
    await db.destroy();
  }
}

async function main() {
  const postgres = await startPostgres();
  if (!postgres) {
    throw new Error(
      'PostgreSQL 15 is not installed (scripts/bootstrap as root installs it)',
    );
  }
  const sandbox = await startSandbox('sandbox-incidents');
  const portal = await startPortal({
    name: 'incidents',
    clusters: [{ name: 'sandbox', url: sandbox.url }],
    catalogLocations: [REPO_CATALOG],
    postgres,
  });
  await waitForServices(portal, 43);
  const services = await listServices(portal.url, portal.token);
  const ref = (e: Entity) =>
    `component:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;
  console.log(
    `incidents: seeding ${INCIDENTS} incidents over ${services.length} services`,
  );
  await seed(postgres, 'incidents_runbook', services.map(ref));

  const auth = { headers: { Authorization: `Bearer ${portal.token}` } };
  console.log(`incidents: ${services.length} services × ${ROUNDS} rounds`);
  const history = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(
        `${portal.url}/api/runbook/incidents?entity=${encodeURIComponent(
          ref(e),
        )}`,
        { ...auth, signal },
      ),
    ),
  );
  const open = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(
        `${portal.url}/api/runbook/incidents?entity=${encodeURIComponent(
          ref(e),
        )}&status=open`,
        { ...auth, signal },
      ),
    ),
  );
  const entityStats = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(
        `${portal.url}/api/runbook/entities/component/${
          e.metadata.namespace ?? 'default'
        }/${e.metadata.name}/incidents/stats`,
        { ...auth, signal },
      ),
    ),
  );
  const catalog = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(
        `${portal.url}/api/catalog/entities/by-name/component/${
          e.metadata.namespace ?? 'default'
        }/${e.metadata.name}`,
        { ...auth, signal },
      ),
    ),
  );
  report({
    name: 'incidents',
    title: `incidents: history and stats with ${INCIDENTS.toLocaleString(
      'en-US',
    )} incidents`,
    tables: [
      {
        title: `${INCIDENTS.toLocaleString('en-US')} incidents over ${
          services.length
        } services (about ${Math.round(
          (INCIDENTS * 1.1) / services.length,
        )} each), PostgreSQL 15, ${ROUNDS} rounds`,
        columns: LATENCY_COLUMNS,
        rows: [
          latencyRow('GET /incidents?entity=E (history, 100 newest)', history),
          latencyRow('GET /incidents?entity=E&status=open', open),
          latencyRow('GET /entities/E/incidents/stats', entityStats),
          latencyRow('catalog GET /entities/by-name/E (for scale)', catalog),
        ],
      },
    ],
    targets: [
      {
        target: 'incident history p95 ≤ 15 ms at 100k',
        measured: `${history.p95.toFixed(1)} ms`,
        met: history.p95 <= 15,
      },
      {
        target: 'incident stats p95 ≤ 15 ms at 100k (the issue measures both)',
        measured: `${entityStats.p95.toFixed(1)} ms`,
        met: entityStats.p95 <= 15,
      },
    ],
    notes: [],
    summary: `history p95 ${history.p95.toFixed(
      1,
    )} ms, stats p95 ${entityStats.p95.toFixed(
      1,
    )} ms with ${INCIDENTS.toLocaleString('en-US')} incidents`,
  });
}

main()
  .catch(error => {
    console.error(`bench/incidents: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
