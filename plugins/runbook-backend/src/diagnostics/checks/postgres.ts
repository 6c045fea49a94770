import knexFactory from 'knex';

/** What a PostgreSQL dependency answered. */
export type PostgresProbe = { used: number; max: number };

/**
 * "Database Connection Issues": a real connection, `SELECT 1`, and connections in use
 * against `max_connections`. Throws with the server's message when it cannot connect.
 */
export async function probePostgres(
  connection: string,
  timeoutMs: number,
): Promise<PostgresProbe> {
  const db = knexFactory({
    client: 'pg',
    connection: {
      connectionString: connection,
      connectionTimeoutMillis: timeoutMs,
    },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: timeoutMs,
  });
  try {
    await db.raw('SELECT 1');
    const used = await db.raw(
      'SELECT count(*)::int AS n FROM pg_stat_activity',
    );
    const max = await db.raw('SHOW max_connections');
    return {
      used: used.rows[0].n,
      max: Number(max.rows[0].max_connections),
    };
  } finally {
    await db.destroy();
  }
}
