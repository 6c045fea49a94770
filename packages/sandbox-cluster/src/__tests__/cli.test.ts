import { ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { FIXTURE_CATALOG, eventually } from './testCluster';

const BIN = join(
  dirname(require.resolve('@nexus-cos/sandbox-cluster/package.json')),
  'bin/sandbox-cluster',
);

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

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
    ]);
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child!.stdout!.on('data', d => {
        out += d;
        const m =
          /serving the Kubernetes API at (\S+) \(3 services seeded/.exec(out);
        if (m) done(m[1]);
      });
      child!.on('exit', code => fail(new Error(`exited ${code}: ${out}`)));
    });
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
    const exited = new Promise(done => child!.on('exit', done));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('explains bad flags', async () => {
    child = spawn(process.execPath, [BIN, '--timings', 'slow']);
    let err = '';
    child.stderr!.on('data', d => (err += d));
    const code = await new Promise(done => child!.on('exit', done));
    expect(code).toBe(1);
    expect(err).toContain('--timings must be fast or realistic, got slow');
  });
});
