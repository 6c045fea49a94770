/*
 * bench/oncall: `GET /entities/E/oncall` (owner's on-call now and next, the escalation
 * chain with contacts) against the catalog entity read it builds on, for every Nexus COS
 * service, on a portal this benchmark starts (SQLite, the repo's catalog).
 */
import type { Entity } from '@backstage/catalog-model';
import {
  REPO_CATALOG,
  startPortal,
  startSandbox,
  stopAll,
  waitForServices,
} from '../harness';
import {
  LATENCY_COLUMNS,
  latencyRow,
  listServices,
  ratio,
  report,
  stats,
  timeRequests,
} from '../lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main() {
  const sandbox = await startSandbox('sandbox-oncall');
  const portal = await startPortal({
    name: 'oncall',
    clusters: [{ name: 'sandbox', url: sandbox.url }],
    catalogLocations: [REPO_CATALOG],
  });
  await waitForServices(portal, 43);
  const services = await listServices(portal.url, portal.token);
  const auth = { headers: { Authorization: `Bearer ${portal.token}` } };
  const path = (e: Entity) =>
    `component/${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;
  // The organisation snapshot is read once the backend started; the catalog fills after.
  await new Promise(r => setTimeout(r, 35_000));

  console.log(`oncall: ${services.length} services × ${ROUNDS} rounds`);
  const catalog = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(`${portal.url}/api/catalog/entities/by-name/${path(e)}`, {
        ...auth,
        signal,
      }),
    ),
  );
  const oncall = stats(
    await timeRequests(services, ROUNDS, (e, signal) =>
      fetch(`${portal.url}/api/runbook/entities/${path(e)}/oncall`, {
        ...auth,
        signal,
      }),
    ),
  );
  const everyone = stats(
    await timeRequests([...Array(20).keys()], 1, (_, signal) =>
      fetch(`${portal.url}/api/runbook/oncall`, { ...auth, signal }),
    ),
  );
  const x = oncall.p95 / catalog.p95;
  report({
    name: 'oncall',
    title: 'oncall: entity on-call vs the catalog entity read',
    tables: [
      {
        title: `${services.length} services × ${ROUNDS} rounds, sequential`,
        columns: LATENCY_COLUMNS,
        rows: [
          latencyRow('catalog GET /entities/by-name/E', catalog),
          latencyRow('runbook GET /entities/E/oncall', oncall),
          latencyRow('runbook GET /oncall (everyone)', everyone),
        ],
      },
    ],
    targets: [
      {
        target: 'on-call read within 2× of the catalog entity read (p95)',
        measured: `${x.toFixed(2)}× (on-call ${oncall.p95.toFixed(
          1,
        )} ms, catalog ${catalog.p95.toFixed(1)} ms)`,
        met: x <= 2,
      },
    ],
    notes: [
      'Measured after the organisation snapshot has been read (runbook.oncall.orgRefreshSeconds, 30 s).',
    ],
    summary: `on-call/catalog: p50 ${ratio(
      oncall.p50,
      catalog.p50,
    )}, p95 ${ratio(oncall.p95, catalog.p95)}`,
  });
}

main()
  .catch(error => {
    console.error(`bench/oncall: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
