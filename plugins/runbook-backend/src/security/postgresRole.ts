import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { Connection } from '../backup/PostgresBackupProvider';

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password, computed here as
 * `psql \password` does, so that `ALTER ROLE … PASSWORD` carries no plaintext to the
 * server, its logs or `pg_stat_activity`. The password is ASCII (the rotation alphabet
 * is), which SASLprep leaves as it is.
 */
export function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const VERIFIER =
  /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;
const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

function connect(conn: Connection) {
  return knexFactory({
    client: 'pg',
    connection: {
      host: conn.host,
      port: conn.port,
      user: conn.user,
      password: conn.password,
      database: conn.database,
      connectionTimeoutMillis: 10_000,
      ...(conn.sslmode && conn.sslmode !== 'disable' ? { ssl: true } : {}),
    },
    pool: { min: 0, max: 1 },
  });
}

/** Gives `role` a new password through the admin connection, as a SCRAM verifier. */
export async function setRolePassword(
  admin: Connection,
  role: string,
  password: string,
): Promise<void> {
  const verifier = scramVerifier(password);
  // Utility statements take no bind parameters; both parts are checked to need no quoting.
  if (!ROLE.test(role) || !VERIFIER.test(verifier)) {
    throw new Error(`Refusing to build ALTER ROLE for role ${role}`);
  }
  const db = connect(admin);
  try {
    await db.raw(`ALTER ROLE "${role}" PASSWORD '${verifier}'`);
  } catch (error) {
    throw new Error(
      `ALTER ROLE ${role} failed: ${
        (error as { code?: string }).code ?? 'error'
      }`,
    );
  } finally {
    await db.destroy();
  }
}

/**
 * Whether `role` can sign in with `password` over the admin connection's host, port and
 * database: a real connection, so the server's authentication (scram-sha-256) decides.
 * The error names the role and PostgreSQL's code, never the password.
 */
export async function tryRoleLogin(
  admin: Connection,
  role: string,
  password: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const db = connect({ ...admin, user: role, password });
  try {
    const { rows } = await db.raw('SELECT current_user AS who');
    return rows[0]?.who === role
      ? { ok: true }
      : { ok: false, error: `signed in as ${rows[0]?.who}, not ${role}` };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return {
      ok: false,
      error:
        e.code === '28P01'
          ? `password authentication failed for ${role}`
          : `${role} could not connect (${e.code ?? 'no code'})`,
    };
  } finally {
    await db.destroy();
  }
}
