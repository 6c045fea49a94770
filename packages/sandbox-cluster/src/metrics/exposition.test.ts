import { SandboxCluster } from '../startSandboxCluster';
import { eventually, startTestCluster } from '../__tests__/testCluster';

jest.setTimeout(60_000);

/** Samples of one scrape: `name{labels}` → value, for the given metric types. */
async function scrape(cluster: SandboxCluster) {
  const text = await (await fetch(`${cluster.url}/metrics`)).text();
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    else if (line && !line.startsWith('#')) {
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return { types, samples };
}

const family = (series: string) =>
  series.replace(/\{.*$/, '').replace(/_(bucket|sum|count)$/, '');

describe('/metrics', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
    await cluster.waitForRollouts();
  });
  afterAll(() => cluster.stop());

  it('labels every series with service, namespace and pod, and keeps counters monotonic', async () => {
    const first = await scrape(cluster);
    expect(first.types.get('http_request_duration_seconds')).toBe('histogram');
    for (const series of first.samples.keys())
      expect(series).toMatch(/\{service="[^"]+",namespace="[^"]+",pod="[^"]+"/);

    const second = await eventually(async () => {
      const next = await scrape(cluster);
      const key = [...first.samples.keys()].find(k =>
        k.startsWith('http_requests_total{service="checkout"'),
      )!;
      expect(next.samples.get(key)).toBeGreaterThan(first.samples.get(key)!);
      return next;
    });
    const decreased = [...first.samples].filter(([series, value]) => {
      const type = first.types.get(family(series));
      const now = second.samples.get(series);
      return (type === 'counter' || type === 'histogram') && now! < value;
    });
    expect(decreased).toEqual([]);
  });

  it('keeps histogram buckets cumulative up to the count', async () => {
    const { samples } = await scrape(cluster);
    const byPod = new Map<string, number[]>();
    for (const [series, value] of samples) {
      const m =
        /^http_request_duration_seconds_bucket\{(.*),le="([^"]+)"\}$/.exec(
          series,
        );
      if (m) byPod.set(m[1], [...(byPod.get(m[1]) ?? []), value]);
    }
    expect(byPod.size).toBeGreaterThan(0);
    for (const [labels, buckets] of byPod) {
      for (let i = 1; i < buckets.length; i++)
        expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]);
      expect(buckets[buckets.length - 1]).toBe(
        samples.get(`http_request_duration_seconds_count{${labels}}`),
      );
    }
  });
});
