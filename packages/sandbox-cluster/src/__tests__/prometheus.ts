import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PROMETHEUS_SCRIPT = resolve(
  dirname(require.resolve('@nexus-cos/sandbox-cluster/package.json')),
  '../../scripts/services/prometheus.sh',
);

/** A real Prometheus, started through `scripts/services/prometheus.sh`. */
export interface TestPrometheus {
  url: string;
  /** An instant query; the result vector. */
  query(
    promql: string,
  ): Promise<Array<{ metric: any; value: [number, string] }>>;
  /** The single value of an instant query, or undefined when the result is empty. */
  scalar(promql: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/** Starts Prometheus on a free port, scraping `targetUrl` every `interval`. */
export async function startPrometheus(
  targetUrl: string,
  interval = '1s',
): Promise<TestPrometheus> {
  if (!existsSync('/usr/bin/prometheus'))
    throw new Error(
      'these tests need /usr/bin/prometheus: run scripts/bootstrap as root or apt-get install prometheus',
    );
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-prometheus-'));
  const { stdout } = await run(PROMETHEUS_SCRIPT, [
    'start',
    dir,
    String(await freePort()),
    new URL(targetUrl).host,
    interval,
  ]);
  const url = stdout.trim();
  const query = async (promql: string) => {
    const res = await fetch(
      `${url}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = await res.json();
    if (body.status !== 'success')
      throw new Error(`${promql}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  return {
    url,
    query,
    async scalar(promql) {
      const result = await query(promql);
      if (result.length > 1)
        throw new Error(`${promql}: ${result.length} series, expected one`);
      const value = result[0] && Number(result[0].value[1]);
      return value === undefined || Number.isNaN(value) ? undefined : value;
    },
    async stop() {
      await run(PROMETHEUS_SCRIPT, ['stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
