import { createClient } from 'redis';

/** What a Redis dependency answered. */
export type RedisProbe = { connected: number; max: number };

/** A real `PING`, then `INFO clients`: connected clients against `maxclients`. */
export async function probeRedis(
  connection: string,
  timeoutMs: number,
): Promise<RedisProbe> {
  const client = createClient({
    url: connection,
    // One attempt: a diagnosis reports an unreachable server instead of retrying.
    socket: { connectTimeout: timeoutMs, reconnectStrategy: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    const info = await client.info('clients');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1]);
    return {
      connected: field('connected_clients'),
      max: field('maxclients'),
    };
  } finally {
    if (client.isOpen) await client.quit().catch(() => {});
  }
}
