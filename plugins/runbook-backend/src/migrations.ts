import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Brings the plugin's tables up to date. */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@nexus-cos/plugin-runbook-backend',
    'migrations',
  );
  await knex.migrate.latest({ directory });
}
