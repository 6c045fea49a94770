import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

const ROOT = path.resolve(__dirname, '../../../../..');

/** The seeded tables of scripts/services/dr-target.sh and their row counts. */
export const SEEDED_ROWS: Record<string, number> = {
  'public.content_items': 5000,
  'public.sessions': 3000,
  'public.transactions': 10000,
  'public.uploads': 5000,
  'public.users': 2000,
};

/** A free TCP port on 127.0.0.1. */
export const freePort = () =>
  execFileSync(path.join(ROOT, 'scripts/free-port')).toString().trim();

/**
 * The dev DR target (a real PostgreSQL 15 with the seeded nexus_db) on a free port, with
 * a login role that owns what an in-place restore replaces. `connection` carries its
 * password; `admin` is a knex on nexus_db for the test's own reads and writes.
 */
export async function startDrTarget(password: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-backup-pg-'));
  fs.chmodSync(dataDir, 0o755);
  const script = path.join(ROOT, 'scripts/services/dr-target.sh');
  const url = execFileSync(script, [
    'start',
    path.join(dataDir, 'pg'),
    freePort(),
  ])
    .toString()
    .trim();
  const admin = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 2 },
  });
  await admin.raw(
    `CREATE ROLE dba LOGIN SUPERUSER PASSWORD '${password.replace(
      /'/g,
      "''",
    )}'`,
  );
  const u = new URL(url);
  u.username = 'dba';
  u.password = password;
  return {
    connection: u.toString(),
    admin,
    /** Row counts of the live nexus_db, or of another database on the server. */
    async counts(database?: string): Promise<Record<string, number>> {
      const db = database
        ? knexFactory({
            client: 'pg',
            connection: Object.assign(new URL(url), {
              pathname: `/${database}`,
            }).toString(),
            pool: { min: 0, max: 1 },
          })
        : admin;
      try {
        const out: Record<string, number> = {};
        for (const table of Object.keys(SEEDED_ROWS)) {
          const { rows } = await db.raw(
            `SELECT count(*)::int AS n FROM ${table}`,
          );
          out[table] = rows[0].n;
        }
        return out;
      } finally {
        if (database) await db.destroy();
      }
    },
    async databaseExists(name: string) {
      const { rows } = await admin.raw(
        'SELECT 1 FROM pg_database WHERE datname = ?',
        [name],
      );
      return rows.length > 0;
    },
    async dropDatabase(name: string) {
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
    async stop() {
      await admin.destroy();
      execFileSync(script, ['stop', path.join(dataDir, 'pg')]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type DrTarget = Awaited<ReturnType<typeof startDrTarget>>;

/** Polls a run until it has ended. */
export async function waitForRun(
  get: (id: string) => Promise<any>,
  id: string,
  ms = 150_000,
): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const run = await get(id);
    if (run.finishedAt) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${id} stuck in ${run.status}`);
    await new Promise(r => setTimeout(r, 200));
  }
}
