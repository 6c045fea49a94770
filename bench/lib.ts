/** Shared helpers of the benchmarks: sign-in, timing, percentiles, tables and results. */
import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';

/** Signs in with the dev guest provider, as the portal's sign-in page does. */
export async function guestToken(backend: string): Promise<string> {
  const res = await fetch(`${backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  }).catch(() => undefined);
  if (!res?.ok) {
    throw new Error(
      `no portal at ${backend}: start it with 'make start' first`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

/** Every Component of type service in the catalog. */
export async function listServices(backend: string, token: string) {
  const items: Entity[] = [];
  let cursor: string | undefined;
  do {
    const res = await fetch(
      `${backend}/api/catalog/entities/by-query?${
        cursor
          ? `cursor=${encodeURIComponent(cursor)}`
          : 'filter=kind=component,spec.type=service&orderField=metadata.name,asc'
      }&limit=500`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const page = (await res.json()) as {
      items: Entity[];
      pageInfo: { nextCursor?: string };
    };
    items.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  if (items.length === 0) throw new Error('the catalog has no services yet');
  return items;
}

/** Answers slower than this count as timed out. */
export const REQUEST_TIMEOUT_MS = Number(
  process.env.BENCH_TIMEOUT_MS ?? 10_000,
);

/** Timings of one kind of request: milliseconds of the answered ones, and how many timed out. */
export type Samples = { ms: number[]; timeouts: number };

/**
 * Times `rounds` sequential passes over the items, after one unmeasured warm-up request
 * each (caches, connections). A non-2xx answer aborts the run; a request over
 * {@link REQUEST_TIMEOUT_MS} is counted as a time-out.
 */
export async function timeRequests<T>(
  items: T[],
  rounds: number,
  request: (item: T, signal: AbortSignal) => Promise<Response>,
  options: { warmUp?: boolean } = {},
): Promise<Samples> {
  const once = async (item: T) => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const start = performance.now();
    try {
      const res = await request(item, signal);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${res.url} answered ${res.status}`);
      return performance.now() - start;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return undefined;
      throw error;
    }
  };
  if (options.warmUp ?? true) {
    for (const item of items) await once(item);
  }
  const samples: Samples = { ms: [], timeouts: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const item of items) {
      const ms = await once(item);
      if (ms === undefined) samples.timeouts++;
      else samples.ms.push(ms);
    }
  }
  return samples;
}

/** The p-th percentile (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

export const fmt = (ms: number | undefined) =>
  ms === undefined || Number.isNaN(ms)
    ? '–'
    : ms < 10
    ? ms.toFixed(2)
    : ms.toFixed(1);
export const ratio = (a: number, b: number) =>
  `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×`;

/** p50, p95 and p99 of a set of samples, with the count and the time-outs. */
export function stats(s: Samples) {
  return {
    n: s.ms.length,
    timeouts: s.timeouts,
    p50: percentile(s.ms, 50),
    p95: percentile(s.ms, 95),
    p99: percentile(s.ms, 99),
  };
}
export type Stats = ReturnType<typeof stats>;

/** A row of a latency table: what was asked, its percentiles in ms, and its count. */
export function latencyRow(label: string, s: Stats): string[] {
  return [
    label,
    fmt(s.p50),
    fmt(s.p95),
    fmt(s.p99),
    `${s.n}${s.timeouts ? ` (+${s.timeouts} timed out)` : ''}`,
  ];
}
export const LATENCY_COLUMNS = ['request', 'p50 ms', 'p95 ms', 'p99 ms', 'n'];

export type Table = { title: string; columns: string[]; rows: string[][] };
/** A target of issue 16, as measured in this run. */
export type Target = {
  target: string;
  measured: string;
  met: boolean;
};
export type BenchResult = {
  name: string;
  title: string;
  tables: Table[];
  summary: string;
  targets: Target[];
  notes: string[];
};

function printTable(t: Table) {
  const widths = t.columns.map((c, i) =>
    Math.max(c.length, ...t.rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(`\n${t.title}`);
  console.log(line(t.columns));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const r of t.rows) console.log(line(r));
}

/** Prints the tables and the summary, and keeps the result for bench/RESULTS.md. */
export function report(result: BenchResult) {
  console.log(`\n=== ${result.title}`);
  result.tables.forEach(printTable);
  for (const t of result.targets) {
    console.log(
      `target: ${t.target}: ${t.measured} (${t.met ? 'met' : 'NOT met'})`,
    );
  }
  for (const n of result.notes) console.log(`note: ${n}`);
  console.log(`\nsummary: ${result.summary}`);
  const dir = path.join(__dirname, '.results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${result.name}.json`),
    JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2),
  );
}
