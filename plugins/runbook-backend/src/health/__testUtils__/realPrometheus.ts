import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository's dev/test starter of Debian's Prometheus. */
const SCRIPT = path.resolve(
  __dirname,
  '../../../../../scripts/services/prometheus.sh',
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A real Prometheus scraping `targetUrl` (the sandbox's /metrics) every `interval`. */
export async function startRealPrometheus(targetUrl: string, interval = '1s') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-prometheus-'));
  const { stdout } = await run(SCRIPT, [
    'start',
    dir,
    String(await freePort()),
    new URL(targetUrl).host,
    interval,
  ]);
  return {
    url: stdout.trim(),
    async stop() {
      await run(SCRIPT, ['stop', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
