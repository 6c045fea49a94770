import { mockServices } from '@backstage/backend-test-utils';
import { component } from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { ClusterCache } from './ClusterCache';
import { workloadOf } from './workload';

jest.setTimeout(60_000);

const NS = 'nexus-cache';
const SERVICES = Array.from({ length: 30 }, (_, i) => `svc-${i}`);

describe('ClusterCache', () => {
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let cache: ClusterCache;

  beforeAll(async () => {
    sandbox = await startSeededSandbox(
      SERVICES.map(s =>
        component(s, {
          'backstage.io/kubernetes-namespace': NS,
          'nexus-cos.io/replicas': '2-4',
        }),
      ),
    );
    cache = new ClusterCache(
      { name: 'sandbox', url: sandbox.url, skipTLSVerify: true },
      {
        backoff: { initialMs: 50, maxMs: 500 },
        watchTimeoutSeconds: 300,
        maxEvents: 5000,
        requestTimeoutMs: 10_000,
        silenceMs: 90_000,
      },
      mockServices.logger.mock(),
    );
    cache.start();
    await cache.whenSynced();
  });
  afterAll(async () => {
    cache?.stop();
    await sandbox?.stop();
  });

  it('hands out the same objects until the cluster changes, then the change', async () => {
    const first = cache.objects()!;
    expect(cache.objects()).toBe(first);
    // Every service's workload from the one snapshot, each its own.
    for (const s of SERVICES) {
      const w = workloadOf(first, 'sandbox', NS, s);
      expect([s, w.deployments.map(d => d.name), w.pods.length]).toEqual([
        s,
        [s],
        2,
      ]);
    }
    await sandbox.send(
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/svc-7`,
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    const deadline = Date.now() + 20_000;
    let pods = 2;
    while (pods !== 3 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 50));
      pods = workloadOf(cache.objects()!, 'sandbox', NS, 'svc-7').pods.filter(
        p => p.phase !== 'Terminating',
      ).length;
    }
    expect(pods).toBe(3);
    expect(cache.objects()).not.toBe(first);
    expect(
      workloadOf(cache.objects()!, 'sandbox', NS, 'svc-8').pods,
    ).toHaveLength(2);
  });
});
