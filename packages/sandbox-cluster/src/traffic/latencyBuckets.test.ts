import { LATENCY_BUCKETS, bucketShares, meanLatency } from './latencyBuckets';

const at = (le: number) => LATENCY_BUCKETS.indexOf(le);

describe('latency buckets', () => {
  it('shift the whole distribution by the latency every request pays', () => {
    const plain = bucketShares(0.05);
    const shifted = bucketShares(0.05, 0.5);
    // Nothing is faster than the added half second...
    for (const le of [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5])
      expect(shifted[at(le)]).toBe(0);
    // ...and a request within 1 s now is one within 0.5 s before.
    expect(shifted[at(1)]).toBeCloseTo(plain[at(0.5)], 10);
    expect(bucketShares(0.05, 2.5)[at(5)]).toBeCloseTo(plain[at(2.5)], 10);
    expect(meanLatency(0.05, 0.5) - meanLatency(0.05)).toBeCloseTo(0.5, 10);
  });

  it('are cumulative', () => {
    const shares = bucketShares(0.2, 1);
    shares
      .slice(1)
      .forEach((s, i) => expect(s).toBeGreaterThanOrEqual(shares[i]));
    expect(shares[shares.length - 1]).toBeLessThanOrEqual(1);
  });
});
