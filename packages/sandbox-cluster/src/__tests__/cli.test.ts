import { ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { SandboxCluster } from '../startSandboxCluster';
import { FIXTURE_CATALOG, eventually, startTestCluster } from './testCluster';

const BIN = join(
  dirname(require.resolve('@nexus-cos/sandbox-cluster/package.json')),
  'bin/sandbox-cluster',
);

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(120_000);

describe('bin/sandbox-cluster', () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGTERM'));

  it('runs the TypeScript sources without a build and serves the seeded cluster', async () => {
    child = spawn(process.execPath, [
      BIN,
      '--port',
      '0',
      '--timings',
      'fast',
      '--catalog',
      FIXTURE_CATALOG,
      '--token',
      't0k',
      '--never-ready',
      '*:doomed',
      '--errors',
      '*:wobbly',
      '--slow',
      '*:lagging',
      '--start-at',
      '2026-01-07T04:00:00+01:00',
    ]);
    let out = '';
    const url = await new Promise<string>((done, fail) => {
      child!.stdout!.on('data', d => {
        out += d;
        const m =
          /serving the Kubernetes API at (\S+) \(3 services seeded/.exec(out);
        if (m) done(m[1]);
      });
      child!.on('exit', code => fail(new Error(`exited ${code}: ${out}`)));
    });
    // --start-at: the load curves begin at that instant, not at the wall clock's.
    await eventually(() =>
      expect(out).toContain(
        'load curves start at 2026-01-07T03:00:00.000Z (simulated), not the wall clock',
      ),
    );
    const res = await fetch(
      `${url}/apis/apps/v1/namespaces/nexus-shop/deployments/checkout`,
      { headers: { authorization: 'Bearer t0k' } },
    );
    expect(res.status).toBe(200);
    expect((await res.json()).spec.replicas).toBe(3);

    // --never-ready: this image never pulls.
    const auth = {
      authorization: 'Bearer t0k',
      'content-type': 'application/json',
    };
    await fetch(`${url}/api/v1/namespaces/default/pods`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        metadata: { name: 'doomed' },
        spec: { containers: [{ name: 'c', image: 'app:doomed' }] },
      }),
    });
    await eventually(async () => {
      const pod = await (
        await fetch(`${url}/api/v1/namespaces/default/pods/doomed`, {
          headers: auth,
        })
      ).json();
      expect(pod.status.containerStatuses?.[0].state.waiting.reason).toBe(
        'ImagePullBackOff',
      );
    });

    // --errors and --slow: these pods become ready, then fail or lag in their metrics.
    for (const name of ['wobbly', 'lagging'])
      await fetch(`${url}/api/v1/namespaces/default/pods`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          metadata: { name, labels: { app: name } },
          spec: { containers: [{ name: 'c', image: `app:${name}` }] },
        }),
      });
    await eventually(async () => {
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const sample = (series: string) =>
        Number(
          metrics
            .split('\n')
            .find(l => l.startsWith(`${series} `))
            ?.split(' ')[1],
        );
      const of = (pod: string) =>
        `service="${pod}",namespace="default",pod="${pod}"`;
      expect(
        sample(`http_requests_total{${of('wobbly')},code="500"}`),
      ).toBeGreaterThan(0);
      expect(
        sample(`http_request_duration_seconds_count{${of('lagging')}}`),
      ).toBeGreaterThan(0);
      expect(
        sample(`http_request_duration_seconds_bucket{${of('lagging')},le="1"}`),
      ).toBe(0);
    });
    const exited = new Promise(done => child!.on('exit', done));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it.each([
    [['--timings', 'slow'], '--timings must be fast or realistic, got slow'],
    [
      ['--preview-share', '5%'],
      '--preview-share must be between 0 and 1, got 5%',
    ],
    [
      ['--start-at', '15:45'],
      '--start-at must be an ISO 8601 instant with an offset, e.g. 2026-01-07T18:00:00Z, got "15:45"',
    ],
  ])('explains bad flags: %j', async (args, message) => {
    child = spawn(process.execPath, [BIN, ...args]);
    let err = '';
    child.stderr!.on('data', d => (err += d));
    const code = await new Promise(done => child!.on('exit', done));
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  describe('fault and load commands against a running sandbox', () => {
    let cluster: SandboxCluster;
    beforeAll(async () => {
      cluster = await startTestCluster();
      await cluster.waitForRollouts();
    });
    afterAll(() => cluster.stop());

    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>(done => {
        const p = spawn(process.execPath, [BIN, ...args, '--url', cluster.url]);
        let out = '';
        let err = '';
        p.stdout.on('data', d => (out += d));
        p.stderr.on('data', d => (err += d));
        p.on('exit', code => done({ code, out, err }));
      });

    it('adds, lists and clears faults, and sets a load factor', async () => {
      const added = await run(
        'fault',
        'add',
        '--service',
        'cart',
        '--kind',
        'error-spike',
        '--rate',
        '0.3',
      );
      expect(added).toMatchObject({
        code: 0,
        out: expect.stringMatching(/^added fault-1: /),
      });
      expect(cluster.faults.list()).toEqual([
        expect.objectContaining({
          kind: 'error-spike',
          service: 'cart',
          rate: 0.3,
        }),
      ]);
      expect((await run('fault', 'list')).out).toMatch(
        /^fault-1\t.*"error-spike"/,
      );

      const bad = await run(
        'fault',
        'add',
        '--service',
        'cart',
        '--kind',
        'error-spike',
        '--rate',
        '2',
      );
      expect(bad.code).toBe(1);
      expect(bad.err).toContain(
        '400: rate: error-spike needs rate in (0, 1], got 2',
      );

      const before = cluster.traffic.serviceRps('nexus-shop', 'cart');
      expect(
        (await run('load', '--service', 'cart', '--factor', '2')).code,
      ).toBe(0);
      const after = cluster.traffic.serviceRps('nexus-shop', 'cart');
      expect(after / before).toBeGreaterThan(1.8);
      expect(after / before).toBeLessThan(2.2);

      expect((await run('fault', 'clear', '--service', 'cart')).out).toContain(
        'removed 1 fault(s)',
      );
      expect(cluster.faults.list()).toEqual([]);
    });
  });
});
