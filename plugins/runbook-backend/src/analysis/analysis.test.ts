import { TestDatabases } from '@backstage/backend-test-utils';
import type { AnalysisReport } from '@nexus-cos/plugin-runbook-common';
import { startRealPrometheus } from '../health/__testUtils__/realPrometheus';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(240_000);

const NS = 'nexus-rollouts';
const SERVICES = ['good', 'bad', 'bg-slow', 'bg-good', 'bg-back'];
const entities = SERVICES.map(s =>
  component(s, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '2-4',
  }),
);

/**
 * The acceptance test of metric-gated rollouts: the sandbox's traffic (pinned clock),
 * scraped every second by a real Prometheus, analysed every second by the engine.
 */
describe('metric analysis of rollouts and switches', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let prometheus: Awaited<ReturnType<typeof startRealPrometheus>>;
  let started: Awaited<ReturnType<typeof startRunbookBackend>>;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(entities);
    prometheus = await startRealPrometheus(sandbox.url, '1s');
    started = await startRunbookBackend({
      knex: await databases.init('SQLITE_3'),
      entities,
      clusterUrl: sandbox.url,
      config: {
        defaults: { rolloutTimeoutSeconds: 30, blueGreenMonitorSeconds: 8 },
        metrics: {
          prometheus: {
            baseUrl: prometheus.url,
            rateWindow: '5s',
            cacheSeconds: 1,
          },
        },
        analysis: {
          thresholds: { errorRatio: 0.05, latencyP95Seconds: 0.5 },
          intervalSeconds: 1,
          failureLimit: 2,
          rateWindow: '5s',
          previewSeconds: 8,
        },
      },
    });
  });
  afterAll(async () => {
    await started?.backend.stop();
    await prometheus?.stop();
    await sandbox?.stop();
  });

  const deployment = (name: string) =>
    sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);
  const service = (name: string) =>
    sandbox.get(`/api/v1/namespaces/${NS}/services/${name}`);
  const image = (d: any) => d.spec.template.spec.containers[0].image;

  async function run(name: string, body: object) {
    const res = await started.http
      .post(`/api/runbook/entities/component/default/${name}/runs`)
      .set(as(OWNER))
      .send(body);
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 202,
      error: undefined,
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const current = (
        await started.http
          .get(`/api/runbook/runs/${res.body.id}`)
          .set(as(OWNER))
      ).body;
      if (current.finishedAt) return current;
      if (Date.now() > deadline) throw new Error(`stuck in ${current.status}`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('lets a good image through after sampling its new pods', async () => {
    const result = await run('good', {
      action: 'set-image',
      input: { image: 'nexus-cos/good:2.0.0', healthWindowSeconds: 8 },
    });
    expect(result.status).toBe('succeeded');
    const report = result.result as AnalysisReport;
    expect(report).toMatchObject({
      kind: 'analysis',
      verdict: 'pass',
      limits: { errorRatio: 0.05, latencyP95Seconds: 0.5 },
      failureLimit: 2,
    });
    expect(report.subject).toMatch(
      /^new pods of good \(good-[a-z0-9]+-\.\+\)$/,
    );
    // One a second for 8 s; fewer when the machine is loaded, never just one.
    expect(report.samples.length).toBeGreaterThanOrEqual(2);
    expect(report.samples.every(s => s.ok)).toBe(true);
    expect(report.samples.some(s => (s.requestsPerSecond ?? 0) > 0)).toBe(true);
    expect(image(await deployment('good'))).toBe('nexus-cos/good:2.0.0');
  });

  it('rolls back an image whose ready pods answer 30% errors, with the old image serving', async () => {
    const result = await run('bad', {
      action: 'set-image',
      input: { image: 'nexus-cos/bad:errors-2.0.0', healthWindowSeconds: 30 },
    });
    expect(result).toMatchObject({
      status: 'rolled-back',
      error: expect.stringMatching(
        /^Metric analysis failed: error ratio \d+\.\d% above 5\.0% in 2 samples in a row$/,
      ),
    });
    const report = result.result as AnalysisReport;
    expect(report.verdict).toBe('fail');
    expect(report.samples.filter(s => !s.ok).length).toBeGreaterThanOrEqual(2);
    expect(report.samples.at(-1)!.errorRatio).toBeGreaterThan(0.15);
    const d = await deployment('bad');
    expect(image(d)).toBe('nexus-cos/bad:1.0.0');
    expect(d.status.readyReplicas).toBe(2);
  });

  it('never switches to a green that is slow on its preview traffic', async () => {
    const result = await run('bg-slow', {
      action: 'blue-green-deploy',
      input: { image: 'nexus-cos/bg-slow:slow-2.0.0' },
    });
    expect(result).toMatchObject({
      status: 'rolled-back',
      error: expect.stringMatching(
        /^Metric analysis failed: p95 \d+ ms above 500 ms/,
      ),
    });
    expect((result.result as AnalysisReport).subject).toMatch(
      /^new pods of bg-slow-green /,
    );
    expect(await deployment('bg-slow-green')).toBeUndefined();
    expect(await service('bg-slow-preview')).toBeUndefined();
    expect((await service('bg-slow')).spec.selector.version).toBe('blue');
    const switched = await started.http
      .post('/api/runbook/entities/component/default/bg-slow/runs')
      .set(as(OWNER))
      .send({ action: 'blue-green-switch' });
    expect(switched.status).toBe(409);
  });

  it('verifies green on its preview traffic, switches, and keeps probing the idle colour', async () => {
    const deployed = await run('bg-good', {
      action: 'blue-green-deploy',
      input: { image: 'nexus-cos/bg-good:2.0.0' },
    });
    expect(deployed.status).toBe('succeeded');
    expect(deployed.result).toMatchObject({
      kind: 'analysis',
      verdict: 'pass',
    });
    expect(
      (deployed.result as AnalysisReport).samples.some(
        s => (s.requestsPerSecond ?? 0) > 0,
      ),
    ).toBe(true);
    expect((await service('bg-good-preview')).spec.selector).toMatchObject({
      app: 'bg-good',
      version: 'green',
    });
    const switched = await run('bg-good', { action: 'blue-green-switch' });
    expect(switched.status).toBe('succeeded');
    expect(switched.result).toMatchObject({ verdict: 'pass' });
    expect((await service('bg-good')).spec.selector.version).toBe('green');
    expect((await service('bg-good-preview')).spec.selector.version).toBe(
      'blue',
    );
  });

  it('switches back when the new colour fails its analysis during the watch window', async () => {
    expect(
      (
        await run('bg-back', {
          action: 'blue-green-deploy',
          input: { image: 'nexus-cos/bg-back:2.0.0' },
        })
      ).status,
    ).toBe('succeeded');
    const spike = sandbox.cluster.faults.add({
      kind: 'error-spike',
      service: 'bg-back',
      rate: 0.5,
    });
    try {
      const switched = await run('bg-back', { action: 'blue-green-switch' });
      expect(switched).toMatchObject({
        status: 'rolled-back',
        error: expect.stringMatching(/^Metric analysis failed: error ratio/),
      });
      expect((await service('bg-back')).spec.selector.version).toBe('blue');
      expect((await service('bg-back-preview')).spec.selector.version).toBe(
        'green',
      );
    } finally {
      sandbox.cluster.faults.remove(spike.id);
    }
  });
});
