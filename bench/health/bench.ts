/*
 * bench/health: the runbook's health reads against the stock Kubernetes plugin's
 * `POST /api/kubernetes/services/<name>` for the same entities, on the same portal and
 * sandbox clusters. Both answer "how is this service doing" on a page view; ours reads a
 * watch cache and a metrics batch, the stock plugin asks every cluster on every request.
 *
 * Two platforms, each with the sandbox's API latency at 0, 50 and 500 ms:
 *   - the Nexus COS catalog: 43 services on one cluster;
 *   - a generated catalog: 1,000 services over three clusters, each service on one of
 *     them (`backstage.io/kubernetes-cluster`, the stock plugin's singleTenant locator);
 *     then the runbook's cluster stops answering, and both are timed again.
 * The catalog entity read is the floor both build on. Starts everything itself.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  BenchCluster,
  BenchPortal,
  BenchSandbox,
  REPO_CATALOG,
  REPO_ORG_CATALOG,
  generateCatalog,
  startHangableProxy,
  startPortal,
  startPrometheus,
  startSandbox,
  stopAll,
  waitFor,
  waitForServices,
} from '../harness';
import {
  LATENCY_COLUMNS,
  Stats,
  Table,
  Target,
  latencyRow,
  listServices,
  ratio,
  report,
  stats,
  timeRequests,
} from '../lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 90);
const LATENCIES = [0, 50, 500];
const LARGE = Number(process.env.BENCH_SERVICES ?? 1000);

const entityPath = (e: Entity) =>
  `component/${e.metadata.namespace ?? 'default'}/${e.metadata.name}`;

/** The four reads of one entity that the benchmark compares. */
function reads(portal: BenchPortal) {
  const auth = { Authorization: `Bearer ${portal.token}` };
  return {
    runbook: (e: Entity, signal: AbortSignal) =>
      fetch(`${portal.url}/api/runbook/entities/${entityPath(e)}/health`, {
        headers: auth,
        signal,
      }),
    stock: (e: Entity, signal: AbortSignal) =>
      fetch(`${portal.url}/api/kubernetes/services/${e.metadata.name}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entity: e }),
        signal,
      }),
    catalog: (e: Entity, signal: AbortSignal) =>
      fetch(`${portal.url}/api/catalog/entities/by-name/${entityPath(e)}`, {
        headers: auth,
        signal,
      }),
    overview: (_: unknown, signal: AbortSignal) =>
      fetch(`${portal.url}/api/runbook/health`, { headers: auth, signal }),
  };
}

/** Every `step`-th item, so a sample covers the whole catalog (every cluster, every team). */
const spread = <T>(items: T[], count: number) =>
  items
    .filter((_, i) => i % Math.max(1, Math.floor(items.length / count)) === 0)
    .slice(0, count);

type Row = {
  platform: string;
  latency: string;
  runbook: Stats;
  stock: Stats;
  catalog: Stats;
  overview: Stats;
};

async function measure(
  portal: BenchPortal,
  entities: Entity[],
  rounds: number,
  stockRounds: number,
  /** A cluster hangs: no warm-up, and the stock plugin on fewer services (each may time out). */
  hanging = false,
) {
  const r = reads(portal);
  const warmUp = !hanging;
  const catalog = stats(
    await timeRequests(entities, rounds, r.catalog, { warmUp }),
  );
  const runbook = stats(
    await timeRequests(entities, rounds, r.runbook, { warmUp }),
  );
  const stock = stats(
    await timeRequests(
      hanging ? spread(entities, 30) : entities,
      stockRounds,
      r.stock,
      { warmUp },
    ),
  );
  const overview = stats(
    await timeRequests([0, 1, 2, 3, 4], 1, r.overview, { warmUp: false }),
  );
  return { catalog, runbook, stock, overview };
}

/** Waits until the runbook sees the services' pods and their metrics (first watch and batch). */
async function waitForHealth(
  portal: BenchPortal,
  entity: Entity,
  metrics: boolean,
) {
  await waitFor(
    `health of ${entity.metadata.name} with workload${
      metrics ? ' and metrics' : ''
    }`,
    async () => {
      const res = await reads(portal).runbook(
        entity,
        AbortSignal.timeout(10_000),
      );
      const h = (await res.json()) as any;
      return (
        h.workload?.deployments?.length > 0 &&
        (!metrics || h.metrics?.current?.requestsPerSecond !== undefined)
      );
    },
    180_000,
  );
}

async function platform(options: {
  label: string;
  sandboxes: BenchSandbox[];
  clusters: BenchCluster[];
  catalogLocations: string[];
  services: number;
  serviceLocator: 'multiTenant' | 'singleTenant';
  sample?: number;
}) {
  const prometheusUrl = await startPrometheus(
    options.sandboxes.map(s => s.url),
  );
  const portal = await startPortal({
    name: `health-${options.services}`,
    clusters: options.clusters,
    catalogLocations: options.catalogLocations,
    prometheusUrl,
    serviceLocator: options.serviceLocator,
  });
  await waitForServices(portal, options.services);
  const all = await listServices(portal.url, portal.token);
  const sample = options.sample ? spread(all, options.sample) : all;
  // A service on the runbook's cluster (the first), for the readiness check.
  const onRunbookCluster =
    all.find(
      e =>
        (e.metadata.annotations?.['backstage.io/kubernetes-cluster'] ??
          options.clusters[0].name) === options.clusters[0].name,
    ) ?? all[0];
  await waitForHealth(portal, onRunbookCluster, !!prometheusUrl);
  const rows: Row[] = [];
  for (const latencyMs of LATENCIES) {
    await Promise.all(options.sandboxes.map(s => s.clearFaults()));
    if (latencyMs) {
      await Promise.all(
        options.sandboxes.map(s =>
          s.addFault({ kind: 'api-latency', latencyMs }),
        ),
      );
    }
    console.log(
      `health: ${options.label}, API latency ${latencyMs} ms, ${sample.length} services`,
    );
    const m = await measure(
      portal,
      sample,
      options.sample ? 1 : ROUNDS,
      latencyMs >= 500 || options.sample ? 1 : ROUNDS,
    );
    rows.push({ platform: options.label, latency: `${latencyMs} ms`, ...m });
  }
  await Promise.all(options.sandboxes.map(s => s.clearFaults()));
  return { portal, sample, rows, prometheus: !!prometheusUrl };
}

async function main() {
  const targets: Target[] = [];
  const notes: string[] = [];
  const tables: Table[] = [];

  // --- 43 services, one cluster ---
  const nexus = await startSandbox('sandbox-nexus');
  const small = await platform({
    label: `${nexus.services} services, 1 cluster`,
    sandboxes: [nexus],
    clusters: [{ name: 'sandbox', url: nexus.url }],
    catalogLocations: [REPO_CATALOG],
    services: 43,
    serviceLocator: 'multiTenant',
  });

  // --- 1,000 services, three clusters; the runbook's cluster behind a proxy that can hang ---
  const generated = generateCatalog(LARGE, ['c1', 'c2', 'c3']);
  const sandboxes = await Promise.all(
    ['c1', 'c2', 'c3'].map(c =>
      startSandbox(`sandbox-${c}`, generated.clusterDirs[c]),
    ),
  );
  const proxy = await startHangableProxy(sandboxes[0].url);
  const large = await platform({
    label: `${LARGE} services, 3 clusters`,
    sandboxes,
    clusters: [
      { name: 'c1', url: proxy.url },
      { name: 'c2', url: sandboxes[1].url },
      { name: 'c3', url: sandboxes[2].url },
    ],
    catalogLocations: [...REPO_ORG_CATALOG, generated.portalFile],
    services: LARGE,
    serviceLocator: 'singleTenant',
    sample: SAMPLE,
  });

  // One cluster of three stops answering: the runbook's own, after its cache synced.
  console.log('health: cluster c1 stops answering');
  proxy.hang();
  const hung = await measure(large.portal, large.sample, 1, 1, true);
  const baseline = large.rows[0];

  const rows = [...small.rows, ...large.rows];
  tables.push({
    title:
      'Entity health: runbook GET /entities/E/health vs stock POST /api/kubernetes/services/E',
    columns: [
      'platform',
      'API latency',
      'catalog p50/p95',
      'runbook p50/p95/p99',
      'stock p50/p95/p99',
      'stock/runbook p50',
      'p95',
      'p99',
    ],
    rows: rows.map(r => [
      r.platform,
      r.latency,
      `${latencyRow('', r.catalog).slice(1, 3).join(' / ')}`,
      `${latencyRow('', r.runbook).slice(1, 4).join(' / ')}`,
      `${latencyRow('', r.stock).slice(1, 4).join(' / ')}${
        r.stock.timeouts ? ` (${r.stock.timeouts} timed out)` : ''
      }`,
      ratio(r.stock.p50, r.runbook.p50),
      ratio(r.stock.p95, r.runbook.p95),
      ratio(r.stock.p99, r.runbook.p99),
    ]),
  });
  tables.push({
    title: 'All services: runbook GET /health',
    columns: ['platform', 'API latency', ...LATENCY_COLUMNS.slice(1)],
    rows: rows.map(r => [
      r.platform,
      r.latency,
      ...latencyRow('', r.overview).slice(1),
    ]),
  });
  tables.push({
    title: `${LARGE} services, 3 clusters: the runbook's cluster (c1) stops answering`,
    columns: LATENCY_COLUMNS,
    rows: [
      latencyRow('catalog entity read, all answering', baseline.catalog),
      latencyRow('runbook health, all answering', baseline.runbook),
      latencyRow('runbook health, c1 hanging', hung.runbook),
      latencyRow('runbook GET /health, all answering', baseline.overview),
      latencyRow('runbook GET /health, c1 hanging', hung.overview),
      latencyRow('stock, all answering', baseline.stock),
      latencyRow('stock, c1 hanging', hung.stock),
    ],
  });

  // Targets of issue 16.
  const at50 = rows.filter(r => r.latency === '50 ms');
  for (const r of at50) {
    const x = r.stock.p95 / r.runbook.p95;
    targets.push({
      target: `${r.platform}: at 50 ms API latency, ≥ 10× faster than the stock plugin at p95`,
      measured: `${x.toFixed(1)}× (runbook ${r.runbook.p95.toFixed(
        1,
      )} ms, stock ${r.stock.p95.toFixed(1)} ms)`,
      met: x >= 10,
    });
  }
  for (const r of rows.filter(x => x.latency === '0 ms')) {
    const x = r.runbook.p95 / r.catalog.p95;
    targets.push({
      target: `${r.platform}: health read within 2× of the catalog entity read (p95)`,
      measured: `${x.toFixed(2)}× (runbook ${r.runbook.p95.toFixed(
        1,
      )} ms, catalog ${r.catalog.p95.toFixed(1)} ms)`,
      met: x <= 2,
    });
  }
  const drift = (a: number, b: number) => Math.abs(a / b - 1);
  const worst = Math.max(
    drift(hung.runbook.p50, baseline.runbook.p50),
    drift(hung.runbook.p95, baseline.runbook.p95),
  );
  targets.push({
    target:
      'unaffected, within ±20%, by one hanging cluster (runbook health p50 and p95)',
    measured: `p50 ${baseline.runbook.p50.toFixed(
      1,
    )} → ${hung.runbook.p50.toFixed(1)} ms, p95 ${baseline.runbook.p95.toFixed(
      1,
    )} → ${hung.runbook.p95.toFixed(1)} ms (${(worst * 100).toFixed(
      0,
    )}% at most)`,
    met: worst <= 0.2,
  });
  if (!small.prometheus) {
    notes.push(
      'Prometheus is not installed: health ran without metrics (scripts/bootstrap as root installs it)',
    );
  }
  notes.push(
    `The ${LARGE}-service rows time ${SAMPLE} services spread over the catalog, once each; the 43-service rows every service, ${ROUNDS} rounds (1 for the stock plugin at 500 ms). Requests are sequential, with keep-alive, after one warm-up request per service.`,
    'The runbook reads one cluster (runbook.cluster, here c1) until several clusters land (issue 16, item 1): its health of services on c2 and c3 answers from the same cache, without their workload.',
  );
  const head = small.rows.find(r => r.latency === '500 ms')!;
  const mid = small.rows.find(r => r.latency === '50 ms')!;
  report({
    name: 'health',
    title: 'health: runbook vs the stock Kubernetes plugin',
    tables,
    targets,
    notes,
    summary: `stock/runbook at p95: ${ratio(
      mid.stock.p95,
      mid.runbook.p95,
    )} at 50 ms API latency, ${ratio(
      head.stock.p95,
      head.runbook.p95,
    )} at 500 ms (43 services); with one of 3 clusters hanging the stock plugin timed out ${
      hung.stock.timeouts
    } of ${
      hung.stock.n + hung.stock.timeouts
    } reads, the runbook's p95 went ${baseline.runbook.p95.toFixed(
      1,
    )} → ${hung.runbook.p95.toFixed(1)} ms`,
  });
}

main()
  .catch(error => {
    console.error(`bench/health: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
