import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The DR target that `runbook:dr-drill` drills in dev and CI: scripts/services/dr-target.sh.
const script = resolve(__dirname, '../../../../scripts/services/dr-target.sh');
const psql = '/usr/lib/postgresql/15/bin/psql';

function freePort(): Promise<number> {
  return new Promise(done => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const query = (url: string, sql: string) =>
  execFileSync(psql, [url, '-tAc', sql], { encoding: 'utf8' }).trim();

const CONTENT_CHECKSUM = `SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (
  SELECT row(u.*)::text AS t FROM users u UNION ALL
  SELECT row(c.*)::text FROM content_items c UNION ALL
  SELECT row(p.*)::text FROM uploads p UNION ALL
  SELECT row(x.*)::text FROM transactions x UNION ALL
  SELECT row(s.*)::text FROM sessions s) rows`;

describe('scripts/services/dr-target.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-target-'));
  // PostgreSQL runs as the postgres user, which must reach the data directory.
  chmodSync(dir, 0o755);
  const run = (...args: string[]) =>
    execFileSync(script, args, { encoding: 'utf8' }).trim();

  afterAll(() => {
    run('stop', join(dir, 'pg'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts PostgreSQL 15 with a seeded nexus_db, and starting again changes nothing', async () => {
    const port = await freePort();

    const url = run('start', join(dir, 'pg'), String(port));

    expect(url).toBe(`postgresql://postgres@127.0.0.1:${port}/nexus_db`);
    expect(query(url, 'SHOW server_version_num').slice(0, 2)).toBe('15');
    expect(
      query(
        url,
        `SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM content_items) || ' ' ||
                (SELECT count(*) FROM uploads) || ' ' || (SELECT count(*) FROM transactions) || ' ' ||
                (SELECT count(*) FROM sessions)`,
      ),
    ).toBe('2000 5000 5000 10000 3000');
    const checksum = query(url, CONTENT_CHECKSUM);

    expect(run('start', join(dir, 'pg'), String(port))).toBe(url);
    expect(query(url, CONTENT_CHECKSUM)).toBe(checksum);
  });
});
