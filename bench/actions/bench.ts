/*
 * bench/actions: a scale through the runbook API, end to end (POST /entities/E/runs until
 * the run has succeeded), against the same patch made directly with
 * @kubernetes/client-node and waited for the same way (the rollout complete: every pod
 * updated, available, and no other left). The difference is what authorization, the
 * lock, the run record and the audit trail cost. Realistic sandbox timings (a new pod is
 * ready after about 7 s), PostgreSQL when installed, the engine's default settings.
 */
import {
  AppsV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  REPO_CATALOG,
  sleep,
  startPortal,
  startPostgres,
  startSandbox,
  stopAll,
  waitForServices,
} from '../harness';
import { fmt, percentile, ratio, report } from '../lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Non-production services whose limits allow 2 and 3 replicas. */
const SERVICES = [
  { name: 'content-classifier', namespace: 'nexus-moderation' },
  { name: 'trending-feed', namespace: 'nexus-recommendation' },
  { name: 'chat-messaging', namespace: 'nexus-social' },
];
const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];

/** The engine's convergence test of a rollout, checked from outside. */
function rolloutComplete(d: any) {
  const wanted = d.spec?.replicas ?? 1;
  return (
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (d.status?.updatedReplicas ?? 0) === wanted &&
    (d.status?.availableReplicas ?? 0) === wanted &&
    (d.status?.replicas ?? 0) === wanted
  );
}

async function main() {
  const postgres = await startPostgres();
  const sandbox = await startSandbox('sandbox-actions', undefined, 'realistic');
  const portal = await startPortal({
    name: 'actions',
    clusters: [{ name: 'sandbox', url: sandbox.url }],
    catalogLocations: [REPO_CATALOG],
    postgres,
  });
  await waitForServices(portal, 43);
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'sandbox', server: sandbox.url, skipTLSVerify: true },
    { name: 'bench' },
  );
  const apps = kc.makeApiClient(AppsV1Api);
  const auth = { Authorization: `Bearer ${portal.token}` };

  const direct = async (s: (typeof SERVICES)[number], replicas: number) => {
    const started = performance.now();
    await apps.patchNamespacedDeployment(
      { name: s.name, namespace: s.namespace, body: { spec: { replicas } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    for (;;) {
      const d = await apps.readNamespacedDeployment(s);
      if (d.spec?.replicas === replicas && rolloutComplete(d)) break;
      await sleep(50);
    }
    return performance.now() - started;
  };
  const viaRunbook = async (s: (typeof SERVICES)[number], replicas: number) => {
    const started = performance.now();
    const res = await fetch(
      `${portal.url}/api/runbook/entities/component/default/${s.name}/runs`,
      {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'scale', input: { replicas } }),
      },
    );
    const run = (await res.json()) as any;
    if (res.status !== 202) {
      throw new Error(
        `scale of ${s.name}: ${res.status} ${JSON.stringify(run)}`,
      );
    }
    const admitted = performance.now() - started;
    for (;;) {
      const r = (await (
        await fetch(`${portal.url}/api/runbook/runs/${run.id}`, {
          headers: auth,
        })
      ).json()) as any;
      if (TERMINAL.includes(r.status)) {
        if (r.status !== 'succeeded') {
          throw new Error(`run ${run.id} ended ${r.status}: ${r.error}`);
        }
        break;
      }
      await sleep(50);
    }
    return { total: performance.now() - started, admitted };
  };

  // Every service starts at 2 replicas, so each side scales 2 → 3 → 2.
  for (const s of SERVICES) await direct(s, 2);
  const samples = {
    runbook: { up: [] as number[], down: [] as number[] },
    direct: { up: [] as number[], down: [] as number[] },
    admitted: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of SERVICES) {
      console.log(`actions: round ${round + 1}/${ROUNDS}, ${s.name}`);
      const up = await viaRunbook(s, 3);
      const down = await viaRunbook(s, 2);
      samples.runbook.up.push(up.total);
      samples.runbook.down.push(down.total);
      samples.admitted.push(up.admitted, down.admitted);
      samples.direct.up.push(await direct(s, 3));
      samples.direct.down.push(await direct(s, 2));
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const row = (label: string, xs: number[]) => [
    label,
    fmt(percentile(xs, 50)),
    fmt(percentile(xs, 95)),
    fmt(mean(xs)),
    String(xs.length),
  ];
  const all = {
    runbook: [...samples.runbook.up, ...samples.runbook.down],
    direct: [...samples.direct.up, ...samples.direct.down],
  };
  const overhead = mean(all.runbook) / mean(all.direct);
  report({
    name: 'actions',
    title: 'actions: a scale through the runbook vs a direct client-node patch',
    tables: [
      {
        title: `scale 2 → 3 → 2 replicas, ${SERVICES.length} services × ${ROUNDS} rounds, sequential`,
        columns: ['request', 'p50 ms', 'p95 ms', 'mean ms', 'n'],
        rows: [
          row('runbook scale up, until succeeded', samples.runbook.up),
          row('direct patch up, until rolled out', samples.direct.up),
          row('runbook scale down, until succeeded', samples.runbook.down),
          row('direct patch down, until rolled out', samples.direct.down),
          row('runbook POST /runs answered (202)', samples.admitted),
        ],
      },
    ],
    targets: [
      {
        target:
          'action overhead ≤ 1.5× the direct patch (mean end-to-end time)',
        measured: `${overhead.toFixed(2)}× (runbook ${fmt(
          mean(all.runbook),
        )} ms, direct ${fmt(mean(all.direct))} ms)`,
        met: overhead <= 1.5,
      },
    ],
    notes: [
      `The runbook's run waits the way the engine does by default (runbook.engine.pollIntervalMs 1000); the direct side polls every 50 ms. Database: ${
        postgres ? 'PostgreSQL 15' : 'SQLite (PostgreSQL is not installed)'
      }.`,
    ],
    summary: `runbook/direct: ${ratio(
      mean(all.runbook),
      mean(all.direct),
    )} of the end-to-end time, +${fmt(
      mean(all.runbook) - mean(all.direct),
    )} ms per scale; admission (POST → 202) p50 ${fmt(
      percentile(samples.admitted, 50),
    )} ms`,
  });
}

main()
  .catch(error => {
    console.error(`bench/actions: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
