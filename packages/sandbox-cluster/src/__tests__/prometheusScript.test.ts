import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS_SCRIPT } from './prometheus';

/** The failure paths of scripts/services/prometheus.sh; the suites that use Prometheus cover starting it. */
jest.setTimeout(30_000);

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stderr: string }>(done =>
    execFile(
      PROMETHEUS_SCRIPT,
      args,
      { env: { ...process.env, ...env } },
      (error, _out, stderr) =>
        done({ code: error ? Number(error.code) : 0, stderr }),
    ),
  );
}

describe('scripts/services/prometheus.sh', () => {
  it('says plainly when Prometheus is not installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-prometheus-'));
    try {
      const result = await run(['start', dir, '19999', '127.0.0.1:6443'], {
        PROMETHEUS: join(dir, 'missing-prometheus'),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('missing-prometheus is not installed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its usage for unknown commands', async () => {
    const result = await run(['restart']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /usage: .* start DATADIR PORT TARGET_HOST:PORT\[,\.\.\.\] \[SCRAPE_INTERVAL\] \| stop DATADIR/,
    );
  });
});
