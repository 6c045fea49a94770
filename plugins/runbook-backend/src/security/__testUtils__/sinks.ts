import {
  AuditorService,
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * Everything a backend writes to its logger and auditor, as text, for tests that look
 * for a value that must never get there.
 */
export function capturingSinks() {
  const lines: string[] = [];
  const record = (...parts: unknown[]) =>
    lines.push(
      parts
        .map(p =>
          p instanceof Error
            ? `${p.name}: ${p.message} ${p.stack}`
            : JSON.stringify(p),
        )
        .join(' '),
    );
  const logger = (meta: unknown = {}): LoggerService => ({
    error: (message, m) => record('error', meta, message, m),
    warn: (message, m) => record('warn', meta, message, m),
    info: (message, m) => record('info', meta, message, m),
    debug: (message, m) => record('debug', meta, message, m),
    child: m => logger({ ...(meta as object), ...m }),
  });
  const auditor: AuditorService = {
    async createEvent(options) {
      record('audit', options.eventId, options.meta);
      return {
        async success(o) {
          record('audit-success', options.eventId, o?.meta);
        },
        async fail(o) {
          record('audit-fail', options.eventId, o.meta, o.error);
        },
      };
    },
  };
  return {
    lines,
    features: [
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger(),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => auditor,
      }),
    ],
  };
}

/** Every row of every table of the plugin's database, as JSON text. */
export async function everyRow(knex: Knex): Promise<string> {
  const tables: string[] =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()',
          )
        ).rows.map((r: any) => r.name)
      : (
          await knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
        ).map((r: any) => r.name);
  const dumps: string[] = [];
  for (const table of tables) {
    dumps.push(`${table}: ${JSON.stringify(await knex(table).select())}`);
  }
  return dumps.join('\n');
}

/** The forms a value can take in a sink: as is, JSON-escaped and base64 (a Secret's `data`). */
export const formsOf = (value: string) => [
  value,
  JSON.stringify(value).slice(1, -1),
  Buffer.from(value).toString('base64'),
];
