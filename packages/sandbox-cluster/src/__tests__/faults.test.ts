import { SandboxCluster } from '../startSandboxCluster';
import { kubectlFor } from './kubectlRunner';
import { call, eventually, startTestCluster } from './testCluster';

/**
 * Each fault kind, injected through the admin API or the programmatic hooks, shows in
 * what kubectl, the API or the pod metrics report; clearing it restores normal service.
 */
jest.setTimeout(120_000);

const NS = 'nexus-shop';

describe('fault injection', () => {
  let cluster: SandboxCluster;
  let k: ReturnType<typeof kubectlFor>;
  const pods = async (app: string, ns = NS) =>
    JSON.parse(
      await k.ok(['-n', ns, 'get', 'pods', '-l', `app=${app}`, '-o', 'json']),
    ).items.filter((p: any) => !p.metadata.deletionTimestamp);
  const ready = (p: any) =>
    p.status.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );

  beforeAll(async () => {
    cluster = await startTestCluster();
    k = kubectlFor(cluster);
    await cluster.waitForRollouts();
  });
  afterAll(async () => {
    await cluster.stop();
    k.cleanup();
  });
  afterEach(() => {
    cluster.faults.clear();
  });

  it('manages faults over the admin API, with 4xx for bad specs', async () => {
    const bad = await call(cluster, 'POST', '/sandbox/faults', {
      kind: 'error-spike',
      service: 'cart',
      rate: 2,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(
      /^rate: error-spike needs rate in \(0, 1\]/,
    );
    expect(
      (await call(cluster, 'POST', '/sandbox/faults', { kind: 'nope' })).status,
    ).toBe(400);

    const added = await call(cluster, 'POST', '/sandbox/faults', {
      kind: 'latency-spike',
      service: 'cart',
      latencyMs: 500,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      id: expect.any(String),
      kind: 'latency-spike',
    });
    expect((await call(cluster, 'GET', '/sandbox/faults')).body.items).toEqual([
      added.body,
    ]);
    expect(
      (await call(cluster, 'DELETE', `/sandbox/faults/${added.body.id}`))
        .status,
    ).toBe(200);
    expect(
      (await call(cluster, 'DELETE', `/sandbox/faults/${added.body.id}`))
        .status,
    ).toBe(404);
    expect(cluster.faults.list()).toEqual([]);
  });

  it('writes ERROR lines to the logs during an error spike, and stops when cleared', async () => {
    const errors = async () =>
      (await k.ok(['-n', NS, 'logs', '-l', 'app=cart', '--tail=20']))
        .split('\n')
        .filter(l => l.includes('ERROR')).length;
    await eventually(async () =>
      expect(
        await k.ok(['-n', NS, 'logs', '-l', 'app=cart', '--tail=5']),
      ).toMatch(/INFO .* 200 \d+ms/),
    );
    expect(await errors()).toBe(0);
    cluster.faults.add({ kind: 'error-spike', service: 'cart', rate: 0.3 });
    await eventually(async () => expect(await errors()).toBeGreaterThan(3));
    cluster.faults.clear({ service: 'cart' });
    await eventually(async () => expect(await errors()).toBe(0));
  });

  it('takes a service down: pods crash-loop until the fault is cleared', async () => {
    cluster.faults.add({ kind: 'down', service: 'cart', namespace: NS });
    await eventually(async () => {
      const table = await k.ok(['-n', NS, 'get', 'pods', '-l', 'app=cart']);
      expect(table).toMatch(/^cart-\S+\s+0\/1\s+CrashLoopBackOff\s+[1-9]/m);
      expect(await k.ok(['-n', NS, 'get', 'deployment', 'cart'])).toMatch(
        /^cart\s+0\/2\s/m,
      );
    });
    expect(cluster.traffic.serviceRps(NS, 'cart')).toBeGreaterThan(0);
    const [pod] = await pods('cart');
    expect(await k.ok(['-n', NS, 'logs', pod.metadata.name])).toMatch(
      /ERROR .*database unreachable/,
    );
    // The staging copy of cart is not affected.
    expect((await pods('cart', 'nexus-shop-staging')).every(ready)).toBe(true);

    cluster.faults.clear({ kind: 'down' });
    await eventually(async () =>
      expect(await k.ok(['-n', NS, 'get', 'deployment', 'cart'])).toMatch(
        /^cart\s+2\/2\s/m,
      ),
    );
  });

  it('keeps pods of a never-ready image pulling until the fault is cleared', async () => {
    cluster.faults.add({ kind: 'never-ready', image: '*:2.0.0' });
    const image = (await pods('cart'))[0].spec.containers[0].image.replace(
      /:.*/,
      ':2.0.0',
    );
    await k.ok(['-n', NS, 'set', 'image', 'deployment/cart', `cart=${image}`]);
    await eventually(async () =>
      expect(await k.ok(['-n', NS, 'get', 'pods', '-l', 'app=cart'])).toMatch(
        /^cart-\S+\s+0\/1\s+ImagePullBackOff/m,
      ),
    );
    cluster.faults.clear({ kind: 'never-ready' });
    await k.ok([
      '-n',
      NS,
      'rollout',
      'status',
      'deployment/cart',
      '--timeout=60s',
    ]);
    expect(
      new Set((await pods('cart')).map((p: any) => p.spec.containers[0].image)),
    ).toEqual(new Set([image]));
  });

  it('OOM-kills pods under memory pressure until the fault is cleared', async () => {
    const restarts = async () =>
      (await pods('search', 'default')).map(
        (p: any) => p.status.containerStatuses[0],
      );
    cluster.faults.add({
      kind: 'memory-pressure',
      service: 'search',
      fillSeconds: 1,
    });
    await eventually(async () => {
      for (const s of await restarts()) {
        expect(s.restartCount).toBeGreaterThan(0);
        expect(s.lastState.terminated).toMatchObject({
          reason: 'OOMKilled',
          exitCode: 137,
        });
      }
    }, 30_000);
    cluster.faults.clear({ kind: 'memory-pressure' });
    // Ready again, and the working set back to its normal share of the 512Mi limit.
    await eventually(async () => {
      expect((await pods('search', 'default')).every(ready)).toBe(true);
      const top = await k.ok([
        '-n',
        'default',
        'top',
        'pods',
        '-l',
        'app=search',
      ]);
      for (const m of top.matchAll(/^search-\S+\s+\d+m\s+(\d+)Mi/gm))
        expect(Number(m[1])).toBeLessThan(400);
    }, 30_000);
  });

  it('fails a share of API requests with 500, and stops when cleared', async () => {
    cluster.faults.add({ kind: 'api-errors', rate: 1 });
    const failed = await k.kubectl(['-n', NS, 'get', 'pods']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/injected by a sandbox api-errors fault/);
    // The admin API stays reachable to clear it.
    expect(
      (await call(cluster, 'DELETE', '/sandbox/faults?kind=api-errors')).body
        .items,
    ).toHaveLength(1);
    await k.ok(['-n', NS, 'get', 'pods']);
  });

  it('answers writes with 409 conflicts, reads normally, and stops when cleared', async () => {
    cluster.faults.add({ kind: 'api-conflicts', rate: 1 });
    await k.ok(['-n', NS, 'get', 'deployment', 'checkout']);
    const patch = () =>
      call(
        cluster,
        'PATCH',
        `/apis/apps/v1/namespaces/${NS}/deployments/checkout`,
        { metadata: { annotations: { owner: 'team-shop' } } },
        { 'content-type': 'application/merge-patch+json' },
      );
    const conflicted = await patch();
    expect(conflicted.status).toBe(409);
    expect(conflicted.body).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
    });
    cluster.faults.clear();
    expect((await patch()).status).toBe(200);
    await k.ok(['-n', NS, 'annotate', 'deployment/checkout', 'reviewed=yes']);
  });

  it('adds latency to API requests, and stops when cleared', async () => {
    const timed = async () => {
      const started = Date.now();
      expect(
        (await call(cluster, 'GET', `/api/v1/namespaces/${NS}/pods`)).status,
      ).toBe(200);
      return Date.now() - started;
    };
    cluster.faults.add({ kind: 'api-latency', latencyMs: 1500 });
    expect(await timed()).toBeGreaterThanOrEqual(1500);
    cluster.faults.clear();
    expect(await timed()).toBeLessThan(1500);
  });

  it('cuts watch streams, open and new, and lets them live when cleared', async () => {
    const watch = async () => {
      const res = await fetch(
        `${cluster.url}/api/v1/namespaces/${NS}/pods?watch=true&allowWatchBookmarks=true`,
      );
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      /** Reads until the stream ends (`ended`) or a BOOKMARK arrives (`bookmark`). */
      const outcome = async (): Promise<'ended' | 'bookmark'> => {
        for (;;) {
          const chunk = await reader
            .read()
            .catch(() => ({ done: true, value: undefined }));
          if (chunk.done) return 'ended';
          text += decoder.decode(chunk.value);
          if (text.includes('"BOOKMARK"')) {
            await reader.cancel();
            return 'bookmark';
          }
        }
      };
      return outcome;
    };
    // Bookmarks come every second (fast timings): a stream that lives that long survives.
    const open = await watch();
    cluster.faults.add({ kind: 'watch-cut', afterMs: 100 });
    expect(await open()).toBe('ended');
    expect(await (await watch())()).toBe('ended');
    cluster.faults.clear();
    expect(await (await watch())()).toBe('bookmark');
  });
});
