import { loadMultiplier } from './loadCurve';

const HOUR = 3_600_000;
const day = (seed: string, service: string) =>
  Array.from({ length: 24 * 60 }, (_, m) =>
    loadMultiplier(seed, service, (m * HOUR) / 60),
  );

describe('loadMultiplier', () => {
  it('repeats for the same seed and differs between seeds and services', () => {
    expect(day('a', 'cart')).toEqual(day('a', 'cart'));
    expect(day('b', 'cart')).not.toEqual(day('a', 'cart'));
    expect(day('a', 'search')).not.toEqual(day('a', 'cart'));
  });

  it('is quiet at night, busy by day, about 1 on average, and smooth', () => {
    const curve = day('seed', 'cart');
    const at = (hour: number) => curve[hour * 60];
    expect(at(4)).toBeLessThan(0.8);
    expect(at(11)).toBeGreaterThan(1.2);
    const mean = curve.reduce((t, v) => t + v, 0) / curve.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.1);
    // Between two Prometheus scrapes (5 s apart) the load moves only a little.
    for (let t = 5000; t < HOUR; t += 5000)
      expect(
        Math.abs(
          loadMultiplier('seed', 'cart', t) -
            loadMultiplier('seed', 'cart', t - 5000),
        ),
      ).toBeLessThan(0.05);
  });
});
