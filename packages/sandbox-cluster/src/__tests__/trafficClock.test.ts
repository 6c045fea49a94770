import { SandboxCluster } from '../startSandboxCluster';
import { startTestCluster } from './testCluster';

/** The traffic model's clock: pinned, the load depends on the pinned instant only. */
jest.setTimeout(60_000);

const NS = 'nexus-shop';

describe('the traffic clock', () => {
  const clusters: SandboxCluster[] = [];
  const at = async (startAt: string, timeScale = 1) => {
    const cluster = await startTestCluster({
      traffic: { startAt: Date.parse(startAt), timeScale },
    });
    clusters.push(cluster);
    await cluster.waitForRollouts();
    return cluster;
  };
  afterAll(() => Promise.all(clusters.map(c => c.stop())));

  it('gives two sandboxes pinned at the same instant the same load, whenever they run', async () => {
    const one = await at('2026-01-07T15:45:00Z');
    const two = await at('2026-01-07T15:45:00Z');
    const rps = one.traffic.serviceRps(NS, 'checkout');
    expect(rps).toBeGreaterThan(0);
    // Only the wall time between the two starts separates them.
    expect(Math.abs(two.traffic.serviceRps(NS, 'checkout') - rps)).toBeLessThan(
      rps * 0.001,
    );
  });

  it('follows the daily curve at the pinned hour: quiet before dawn, busy late morning', async () => {
    const night = await at('2026-01-07T04:00:00Z');
    const morning = await at('2026-01-07T11:00:00Z');
    expect(morning.traffic.serviceRps(NS, 'checkout')).toBeGreaterThan(
      night.traffic.serviceRps(NS, 'checkout') * 1.5,
    );
  });

  it('moves simulated time on from the pinned instant with the wall clock × timeScale', async () => {
    const cluster = await at('2026-01-07T00:00:00Z', 60);
    const wall = Date.now();
    const simulated = cluster.traffic.simulatedTime(wall + 1000).getTime();
    // One wall second later is a simulated minute later (plus the moments since start).
    expect(
      simulated - Date.parse('2026-01-07T00:01:00Z'),
    ).toBeGreaterThanOrEqual(0);
    expect(simulated - Date.parse('2026-01-07T00:01:00Z')).toBeLessThan(
      60 * 5000,
    );
  });
});
