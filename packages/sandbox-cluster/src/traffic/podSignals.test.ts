import { podSignals } from './podSignals';
import { serviceProfile } from './serviceProfile';

const profile = serviceProfile('test', 'nexus-shop/checkout');
const resources = {
  cpuRequestMillicores: 250,
  cpuLimitMillicores: 500,
  memoryRequestBytes: 256 * 2 ** 20,
  memoryLimitBytes: 512 * 2 ** 20,
};
const healthy = { errorRate: 0, latency: 0 };
const capacity = 500 / profile.cpuPerRequest;

describe('podSignals', () => {
  it('gets slower and busier as the load per replica grows', () => {
    const light = podSignals(profile, resources, capacity * 0.2, healthy);
    const heavy = podSignals(profile, resources, capacity * 0.8, healthy);
    expect(heavy.medianLatency).toBeGreaterThan(light.medianLatency * 3);
    expect(heavy.cpuMillicores).toBeGreaterThan(light.cpuMillicores * 3);
    expect(heavy.activeConnections).toBeGreaterThan(light.activeConnections);
    expect(heavy.shedShare).toBe(0);
  });

  it('sheds the load past its capacity with 503s and never uses more than its CPU limit', () => {
    const over = podSignals(profile, resources, capacity * 2, healthy);
    expect(over.shedShare).toBeCloseTo(0.5);
    expect(over.cpuMillicores).toBe(500);
  });

  it('has less capacity under a lower CPU limit', () => {
    const rps = capacity * 0.4;
    const throttled = podSignals(
      profile,
      { ...resources, cpuLimitMillicores: 250 },
      rps,
      healthy,
    );
    expect(throttled.medianLatency).toBeGreaterThan(
      podSignals(profile, resources, rps, healthy).medianLatency,
    );
  });

  it('adds injected errors and latency', () => {
    const rps = capacity * 0.3;
    const base = podSignals(profile, resources, rps, healthy);
    const faulty = podSignals(profile, resources, rps, {
      errorRate: 0.3,
      latency: 0.5,
    });
    expect(faulty.errorShare - base.errorShare).toBeCloseTo(0.3);
    expect(faulty.medianLatency - base.medianLatency).toBeCloseTo(0.5);
    expect(faulty.addedLatency).toBe(0.5);
  });
});
