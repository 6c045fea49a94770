/**
 * A runbook backend in its own process, so that tests can kill it (SIGKILL) mid-run or
 * run two of them on one database. Run with
 * `node --require @backstage/cli/config/nodeTransform.cjs backendProcess.ts`; reads
 * `RUNBOOK_TEST_BACKEND` (JSON: connection, clusterUrl, entities, config) and prints
 * `READY <port>` once it serves.
 */
import knexFactory from 'knex';
import { startRunbookBackend } from './testBackend';

async function main() {
  const options = JSON.parse(process.env.RUNBOOK_TEST_BACKEND!);
  const knex = knexFactory({ client: 'pg', connection: options.connection });
  const { backend } = await startRunbookBackend({
    knex,
    entities: options.entities,
    clusterUrl: options.clusterUrl,
    config: options.config,
    permissions: 'allow-all',
  });
  const address = backend.server.address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
