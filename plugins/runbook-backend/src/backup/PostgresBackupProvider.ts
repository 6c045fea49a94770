import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import type {
  BackupContext,
  BackupResult,
  BackupTarget,
  RunbookBackupProvider,
  TableFigures,
} from '@nexus-cos/plugin-runbook-node';
import knexFactory, { Knex } from 'knex';
import { redactText } from '../audit/redact';

const run = promisify(execFile);

/** Quotes an identifier for SQL. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => table.split('.').map(ident).join('.');

export type Connection = {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslmode?: string;
};

export function parseConnection(url: string): Connection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError('The DR target connection is not a URL');
  }
  return {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    sslmode: u.searchParams.get('sslmode') ?? undefined,
  };
}

/**
 * The built-in backup provider: PostgreSQL's own `pg_dump` (custom format) and
 * `pg_restore`, run without a shell. Credentials reach the tools through `PG*` variables, never their arguments,
 * and no URL is logged. Figures are computed in SQL: the source's in the very snapshot
 * `pg_dump` dumps, the restore's the same way.
 */
export class PostgresBackupProvider implements RunbookBackupProvider {
  readonly id = 'postgresql';

  constructor(private readonly binDir: string) {}

  supports(target: BackupTarget) {
    return /^postgres(ql)?:\/\//.test(target.connection);
  }

  async backup(
    target: BackupTarget,
    ctx: BackupContext,
  ): Promise<BackupResult> {
    const conn = parseConnection(target.connection);
    const file = path.join(ctx.workDir, `${conn.database}.dump`);
    const tool = (await this.#tool('pg_dump', ['--version'], conn, ctx)).trim();
    const db = this.#knex(conn);
    try {
      return await db.transaction(
        async trx => {
          // pg_dump joins this transaction's snapshot, so the figures describe the dump.
          const snapshot = (await trx.raw('SELECT pg_export_snapshot() AS s'))
            .rows[0].s as string;
          const tables = await this.#tables(trx);
          const figures = await this.#figures(trx, tables);
          const newest = await this.#newest(trx, tables, target.rpoColumn);
          await ctx.log(`Dumping ${conn.database} with ${tool}`);
          await this.#tool(
            'pg_dump',
            ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`],
            conn,
            ctx,
          );
          return {
            file,
            bytes: (await stat(file)).size,
            tool,
            tables: figures,
            ...newest,
          };
        },
        { isolationLevel: 'repeatable read', readOnly: true },
      );
    } finally {
      await db.destroy();
    }
  }

  async restore(
    target: BackupTarget,
    backup: BackupResult,
    scratchDatabase: string,
    ctx: BackupContext,
  ) {
    const conn = parseConnection(target.connection);
    const db = this.#knex(conn);
    try {
      await db.raw(`CREATE DATABASE ${ident(scratchDatabase)}`);
    } finally {
      await db.destroy();
    }
    await ctx.log(`Restoring into the scratch database ${scratchDatabase}`);
    await this.#tool(
      'pg_restore',
      [
        '--exit-on-error',
        '--no-owner',
        `--dbname=${scratchDatabase}`,
        backup.file,
      ],
      conn,
      ctx,
    );
  }

  /** `pg_restore --list`: the archive's table of contents, which a damaged file lacks. */
  async inspect(
    target: BackupTarget,
    file: string,
    ctx: BackupContext,
  ): Promise<{ entries: number }> {
    const conn = parseConnection(target.connection);
    const list = await this.#tool('pg_restore', ['--list', file], conn, ctx);
    const entries = list
      .split('\n')
      .filter(line => line.trim() && !line.startsWith(';')).length;
    if (!entries) throw new Error('pg_restore --list found no entries');
    return { entries };
  }

  /**
   * Over the database itself, in one transaction (`--single-transaction`, which stops at
   * the first error): when it fails, PostgreSQL rolls every statement back and the
   * database is as it was. A lock it cannot get within a minute fails it too.
   */
  async restoreInPlace(
    target: BackupTarget,
    backup: BackupResult,
    ctx: BackupContext,
  ) {
    const conn = parseConnection(target.connection);
    await ctx.log(`Restoring over ${conn.database} in one transaction`);
    await this.#tool(
      'pg_restore',
      [
        '--clean',
        '--if-exists',
        '--single-transaction',
        '--exit-on-error',
        '--no-owner',
        `--dbname=${conn.database}`,
        backup.file,
      ],
      conn,
      ctx,
      { PGOPTIONS: '-c lock_timeout=60000' },
    );
  }

  async verify(
    target: BackupTarget,
    scratchDatabase: string,
    _ctx: BackupContext,
  ): Promise<TableFigures[]> {
    const db = this.#knex({
      ...parseConnection(target.connection),
      database: scratchDatabase,
    });
    try {
      return await this.#figures(db, await this.#tables(db));
    } finally {
      await db.destroy();
    }
  }

  async drop(target: BackupTarget, scratchDatabase: string) {
    const conn = parseConnection(target.connection);
    if (scratchDatabase === conn.database) {
      throw new InputError('The scratch database must not be the source');
    }
    const db = this.#knex(conn);
    try {
      await db.raw(
        `DROP DATABASE IF EXISTS ${ident(scratchDatabase)} WITH (FORCE)`,
      );
    } finally {
      await db.destroy();
    }
  }

  #knex(conn: Connection): Knex {
    return knexFactory({
      client: 'pg',
      connection: {
        host: conn.host,
        port: conn.port,
        user: conn.user,
        password: conn.password,
        database: conn.database,
        ...(conn.sslmode && conn.sslmode !== 'disable' ? { ssl: true } : {}),
      },
      pool: { min: 0, max: 1 },
    });
  }

  async #tool(
    name: string,
    args: string[],
    conn: Connection,
    ctx: BackupContext,
    extraEnv: Record<string, string> = {},
  ): Promise<string> {
    try {
      const { stdout } = await run(path.join(this.binDir, name), args, {
        signal: ctx.signal,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          LC_ALL: 'C',
          PGHOST: conn.host,
          PGPORT: String(conn.port),
          PGUSER: conn.user,
          PGDATABASE: conn.database,
          ...(conn.password ? { PGPASSWORD: conn.password } : {}),
          ...(conn.sslmode ? { PGSSLMODE: conn.sslmode } : {}),
          ...extraEnv,
        },
      });
      return stdout;
    } catch (error: any) {
      const detail = String(error?.stderr || error?.message || error).trim();
      throw new Error(redactText(`${name} failed: ${detail}`));
    }
  }

  /** The user tables, as `schema.table`. */
  async #tables(db: Knex): Promise<string[]> {
    const { rows } = await db.raw(
      `SELECT schemaname || '.' || tablename AS t FROM pg_tables
       WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
       ORDER BY 1`,
    );
    return rows.map((r: { t: string }) => r.t);
  }

  /** Row count and an order-independent content checksum of each table. */
  async #figures(db: Knex, tables: string[]): Promise<TableFigures[]> {
    const figures: TableFigures[] = [];
    for (const table of tables) {
      const { rows } = await db.raw(
        `SELECT count(*)::bigint AS n,
                md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS checksum
         FROM ${qualified(table)} AS t`,
      );
      figures.push({
        table,
        rows: Number(rows[0].n),
        checksum: rows[0].checksum,
      });
    }
    return figures;
  }

  /**
   * The newest timestamp in the data, from the configured column or the newest of every
   * timestamp column not in the future (a future value says nothing about freshness).
   */
  async #newest(
    db: Knex,
    tables: string[],
    rpoColumn: string | undefined,
  ): Promise<{ newestDataAt?: string; rpoColumn?: string }> {
    let columns: string[];
    if (rpoColumn) {
      columns = [rpoColumn];
    } else {
      const { rows } = await db.raw(
        `SELECT table_schema || '.' || table_name || '.' || column_name AS c
         FROM information_schema.columns
         WHERE data_type IN ('timestamp with time zone', 'timestamp without time zone', 'date')
           AND table_schema NOT IN ('pg_catalog', 'information_schema')
         ORDER BY 1`,
      );
      columns = rows
        .map((r: { c: string }) => r.c)
        .filter((c: string) =>
          tables.includes(c.split('.').slice(0, 2).join('.')),
        );
    }
    let best: { at: Date; column: string } | undefined;
    for (const column of columns) {
      const parts = column.split('.');
      const col = parts.pop()!;
      const table = parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
      const { rows } = await db.raw(
        `SELECT max(${ident(col)})::timestamptz AS at FROM ${qualified(table)}
         WHERE ${ident(col)}::timestamptz <= now()`,
      );
      const at = rows[0].at as Date | null;
      if (at && (!best || at > best.at))
        best = { at, column: `${table}.${col}` };
    }
    return best
      ? { newestDataAt: best.at.toISOString(), rpoColumn: best.column }
      : {};
  }
}
