import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type {
  DiagnosticCheck,
  DiagnosticsReport,
} from '@nexus-cos/plugin-runbook-common';
import { startSandboxCluster, testClock } from '@nexus-cos/sandbox-cluster';
import { startRealPrometheus } from '../health/__testUtils__/realPrometheus';
import { startRealRedis } from '../__testUtils__/redis';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../../../..');
const NS = 'nexus-shop';
const resource = (name: string, check: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'nexus-cos.io/dependency-check': check },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
});
const service = (name: string, spec: Record<string, unknown> = {}) =>
  component(
    name,
    {
      'backstage.io/kubernetes-namespace': NS,
      'nexus-cos.io/replicas': '2-4',
    },
    spec,
  );
const entities: Entity[] = [
  service('shop', {
    dependsOn: [
      'component:default/cart',
      'resource:default/shop-db',
      'resource:default/shop-cache',
    ],
  }),
  service('cart'),
  service('mirror'),
  {
    ...service('ledger'),
    metadata: {
      ...service('ledger').metadata,
      annotations: {
        ...service('ledger').metadata.annotations,
        'nexus-cos.io/runbook-actions': 'scale',
      },
    },
  },
  resource('shop-db', 'postgres'),
  resource('shop-cache', 'redis'),
];

describe('diagnostics against the sandbox, a real PostgreSQL, Redis and Prometheus', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let dataDir: string;
  let catalogDir: string;
  let cluster: Awaited<ReturnType<typeof startSandboxCluster>>;
  let prometheus: Awaited<ReturnType<typeof startRealPrometheus>>;
  let redis: Awaited<ReturnType<typeof startRealRedis>>;
  let started: Awaited<ReturnType<typeof startRunbookBackend>>;
  let dbPort: string;
  const drTarget = (cmd: 'start' | 'stop') =>
    execFileSync(path.join(ROOT, 'scripts/services/dr-target.sh'), [
      cmd,
      path.join(dataDir, 'pg'),
      ...(cmd === 'start' ? [dbPort] : []),
    ])
      .toString()
      .trim();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-diag-'));
    fs.chmodSync(dataDir, 0o755);
    dbPort = execFileSync(path.join(ROOT, 'scripts/free-port'))
      .toString()
      .trim();
    const dbUrl = drTarget('start');
    redis = await startRealRedis();
    catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-diag-cat-'));
    fs.writeFileSync(
      path.join(catalogDir, 'services.yaml'),
      entities
        .filter(e => e.kind === 'Component')
        .map(e => JSON.stringify(e))
        .join('\n---\n'),
    );
    cluster = await startSandboxCluster({
      port: 0,
      seed: { catalogDir },
      // Load follows a daily curve: pinned, no check depends on the hour.
      traffic: { startAt: testClock() },
    });
    await cluster.waitForRollouts();
    prometheus = await startRealPrometheus(cluster.url, '1s');
    started = await startRunbookBackend({
      knex: await databases.init('SQLITE_3'),
      entities,
      clusterUrl: cluster.url,
      config: {
        dependencies: {
          'shop-db': { connection: dbUrl },
          'shop-cache': { connection: redis.url },
        },
        metrics: {
          prometheus: {
            baseUrl: prometheus.url,
            rateWindow: '5s',
            cacheSeconds: 1,
          },
        },
        // Latency depends on load; the test is about errors, so p95 never fails it.
        analysis: { thresholds: { errorRatio: 0.05, latencyP95Seconds: 30 } },
        diagnostics: { dependencyTimeoutMs: 2000 },
      },
    });
  });

  afterAll(async () => {
    await started?.backend.stop();
    await prometheus?.stop();
    await cluster?.stop();
    await redis?.stop();
    if (dataDir) drTarget('stop');
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(catalogDir, { recursive: true, force: true });
  });

  /** Runs diagnostics as `user` and waits for the run to end. */
  async function diagnose(
    name: string,
    headers: Record<string, string> = as(OWNER),
  ) {
    const res = await started.http
      .post(`/api/runbook/entities/component/default/${name}/runs`)
      .set(headers)
      .send({ action: 'diagnostics', input: { logMinutes: 5 } });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 202,
      error: undefined,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (
        await started.http
          .get(`/api/runbook/runs/${res.body.id}`)
          .set(as(OWNER))
      ).body;
      if (run.finishedAt) return run;
      if (Date.now() > deadline) throw new Error(`stuck in ${run.status}`);
      await new Promise(r => setTimeout(r, 200));
    }
  }
  const check = (report: DiagnosticsReport, id: string, entityRef?: string) =>
    report.checks.find(
      c => c.id === id && (!entityRef || c.entityRef === entityRef),
    ) as DiagnosticCheck;

  it('reports every check ok for a healthy service and its dependencies', async () => {
    const run = await diagnose('shop');
    expect(run.status).toBe('succeeded');
    const report = run.result as DiagnosticsReport;
    expect(report.kind).toBe('diagnostics');
    const statuses = Object.fromEntries(
      report.checks.map(c => [`${c.id} ${c.entityRef}`, c.status]),
    );
    expect(statuses).toMatchObject({
      'pods component:default/shop': 'ok',
      'resources component:default/shop': 'ok',
      'autoscaler component:default/shop': 'ok',
      'dependency resource:default/shop-db': 'ok',
      'dependency resource:default/shop-cache': 'ok',
    });
    expect(check(report, 'pods').evidence[0]).toMatch(
      /^Deployment shop \(blue\): 2\/2 ready, rollout complete$/,
    );
    expect(
      check(report, 'dependency', 'resource:default/shop-db').evidence,
    ).toEqual([
      'PostgreSQL: connected, SELECT 1 answered',
      expect.stringMatching(/^\d+ of 200 connections in use \(\d+%\)$/),
    ]);
    expect(
      check(report, 'dependency', 'resource:default/shop-cache').evidence[1],
    ).toMatch(/^\d+ of 10000 client connections in use/);
    expect(check(report, 'dependency', 'component:default/cart')).toBeDefined();
  });

  it('names the pods that cannot pull their image and points at rolling back', async () => {
    const deployment = await (
      await fetch(
        `${cluster.url}/apis/apps/v1/namespaces/${NS}/deployments/mirror`,
      )
    ).json();
    deployment.spec.template.spec.containers[0].image =
      'nexus-cos/mirror:broken-1';
    await fetch(
      `${cluster.url}/apis/apps/v1/namespaces/${NS}/deployments/mirror`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(deployment),
      },
    );
    let pods: DiagnosticCheck;
    const deadline = Date.now() + 30_000;
    do {
      const run = await diagnose('mirror');
      expect(run.status).toBe('succeeded');
      pods = check(run.result, 'pods');
    } while (
      !pods.evidence.some(l => l.includes('ImagePullBackOff')) &&
      Date.now() < deadline
    );
    expect(pods.status).toBe('fail');
    expect(pods.evidence).toContainEqual(
      expect.stringMatching(/^mirror-[a-z0-9]+-[a-z0-9]+: ImagePullBackOff/),
    );
    expect(pods.troubleshooting).toMatchObject({
      title: 'Pods Not Starting',
      fixAction: 'rollback',
    });
  });

  it('fails the database check with the Database Connection Issues entry when PostgreSQL stops', async () => {
    drTarget('stop');
    try {
      const run = await diagnose('shop');
      expect(run.status).toBe('succeeded');
      const db = check(run.result, 'dependency', 'resource:default/shop-db');
      expect(db.status).toBe('fail');
      expect(db.evidence[0]).toMatch(/^PostgreSQL: cannot connect: /);
      expect(db.troubleshooting?.title).toBe('Database Connection Issues');
      expect(run.result.verdict).toBe('fail');
    } finally {
      drTarget('start');
    }
    const again = await diagnose('shop');
    expect(
      check(again.result, 'dependency', 'resource:default/shop-db').status,
    ).toBe('ok');
  });

  it('fails the cache check when Redis stops', async () => {
    await redis.stop();
    try {
      const run = await diagnose('shop');
      const cache = check(
        run.result,
        'dependency',
        'resource:default/shop-cache',
      );
      expect(cache.status).toBe('fail');
      expect(cache.evidence[0]).toMatch(/^Redis: cannot connect: /);
      expect(cache.troubleshooting?.title).toBe('Database Connection Issues');
    } finally {
      await redis.start();
    }
  });

  it('sees an error spike in the logs, in the metrics and from the services that depend on it', async () => {
    const fault = cluster.faults.add({
      kind: 'error-spike',
      service: 'cart',
      rate: 0.3,
    });
    try {
      let report: DiagnosticsReport;
      const deadline = Date.now() + 90_000;
      do {
        await new Promise(r => setTimeout(r, 1000));
        report = (await diagnose('cart')).result;
      } while (
        check(report, 'metrics')?.status !== 'fail' &&
        Date.now() < deadline
      );
      expect(check(report, 'metrics')).toMatchObject({
        status: 'fail',
        troubleshooting: { title: 'High Error Rate', fixAction: 'rollback' },
      });
      expect(check(report, 'metrics').evidence[0]).toMatch(
        /^Error ratio \d+\.\d% \(threshold 5\.0%\)$/,
      );
      const logs = check(report, 'error-logs');
      expect(logs.status).toBe('warn');
      expect(logs.evidence[0]).toMatch(/^\d+ ERROR lines in \d of \d pods: /);
      expect(logs.evidence[1]).toMatch(/ ERROR /);
      const shop = (await diagnose('shop')).result;
      expect(
        check(shop, 'dependency', 'component:default/cart').status,
      ).not.toBe('ok');
    } finally {
      cluster.faults.remove(fault.id);
    }
  });

  it('fails the resource check at 95% of the memory limit, pointing at High Memory Usage', async () => {
    cluster.setPodUsage(pod =>
      pod.metadata.labels?.app === 'cart'
        ? { cpu: '100m', memory: '490Mi' }
        : { cpu: '50m', memory: '100Mi' },
    );
    const run = await diagnose('cart');
    const resources = check(run.result, 'resources');
    expect(resources.status).toBe('fail');
    expect(resources.evidence[0]).toMatch(
      /^cart-[a-z0-9-]+\/cart: memory at 96% \(490Mi of 512Mi\)$/,
    );
    expect(resources.troubleshooting).toMatchObject({
      title: 'High Memory Usage',
      fixAction: 'restart',
    });
  });

  it('warns when the autoscaler is at its maximum and still above its target', async () => {
    const hpa = await started.http
      .post('/api/runbook/entities/component/default/mirror/runs')
      .set(as(OWNER))
      .send({
        action: 'configure-autoscaling',
        input: {
          enabled: true,
          minReplicas: 2,
          maxReplicas: 2,
          targetCPUUtilizationPercentage: 10,
        },
      });
    expect(hpa.status).toBe(202);
    cluster.traffic.setLoadFactor('mirror', 20);
    try {
      let autoscaler: DiagnosticCheck;
      const deadline = Date.now() + 60_000;
      do {
        await new Promise(r => setTimeout(r, 500));
        autoscaler = check((await diagnose('mirror')).result, 'autoscaler');
      } while (autoscaler.status === 'ok' && Date.now() < deadline);
      expect(autoscaler.status).toBe('warn');
      expect(autoscaler.evidence[0]).toMatch(
        /^mirror-hpa: 2 replicas \(min 2, max 2\), CPU \d+% against a target of 10%$/,
      );
      expect(autoscaler.evidence).toContain(
        'At its maximum and still above its target: it cannot add capacity',
      );
      expect(autoscaler.troubleshooting?.fixAction).toBe(
        'configure-autoscaling',
      );
    } finally {
      cluster.traffic.setLoadFactor('mirror', 1);
    }
  });

  it('is a read: a person without execute permission, or a service token, may run it; no lock is taken', async () => {
    const byStranger = await diagnose('shop', as(STRANGER));
    expect(byStranger).toMatchObject({ status: 'succeeded', actor: STRANGER });
    const byService = await diagnose('shop', {
      Authorization: mockCredentials.service.header(),
    });
    expect(byService.status).toBe('succeeded');
    // While diagnostics run, a change to the same service is admitted.
    const diagnosing = await started.http
      .post('/api/runbook/entities/component/default/shop/runs')
      .set(as(OWNER))
      .send({ action: 'diagnostics' });
    const scaling = await started.http
      .post('/api/runbook/entities/component/default/shop/runs')
      .set(as(OWNER))
      .send({ action: 'scale', input: { replicas: 3 } });
    expect([diagnosing.status, scaling.status]).toEqual([202, 202]);
    const audit = await started.http
      .get(`/api/runbook/audit?run=${byStranger.id}`)
      .set(as(AUDITOR));
    expect(audit.body.items.map((i: any) => [i.event, i.actor])).toEqual([
      ['requested', STRANGER],
      ['started', STRANGER],
      ['step', STRANGER],
      ['succeeded', STRANGER],
    ]);
    expect(audit.body.items[3].summary.verdict).toBeDefined();
  });

  it('is offered whatever the allow-list says, as reads always are', async () => {
    const res = await started.http
      .get('/api/runbook/entities/component/default/ledger/runbook')
      .set(as(STRANGER));
    expect(res.body.actions.map((a: any) => [a.action, a.allowed])).toEqual([
      ['scale', false],
      ['diagnostics', true],
      ['review-access', false],
    ]);
  });
});
