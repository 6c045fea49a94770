/*
 * bench/health: the runbook's `GET /entities/E/health` against the stock Kubernetes plugin's
 * `POST /api/kubernetes/services/<name>` for the same entity, on the same portal and sandbox
 * cluster, for every Nexus COS service. Both answer "how is this service doing" on a page
 * view; ours reads a watch cache, the stock plugin asks the cluster on every request.
 *
 * Needs the portal running (`make start`); run with `make bench`.
 */
import { percentile, guestToken, listServices, timeRequests } from '../lib';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main() {
  const token = await guestToken(BACKEND);
  const services = await listServices(BACKEND, token);
  const auth = { Authorization: `Bearer ${token}` };

  const ours = await timeRequests(services, ROUNDS, entity =>
    fetch(
      `${BACKEND}/api/runbook/entities/component/${entity.metadata.namespace}/${entity.metadata.name}/health`,
      { headers: auth },
    ),
  );
  const stock = await timeRequests(services, ROUNDS, entity =>
    fetch(`${BACKEND}/api/kubernetes/services/${entity.metadata.name}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ entity }),
    }),
  );

  const row = (name: string, ms: number[]) =>
    `${name.padEnd(34)} p50 ${percentile(ms, 50)
      .toFixed(1)
      .padStart(7)} ms   p95 ${percentile(ms, 95).toFixed(1).padStart(7)} ms`;
  console.log(
    `${services.length} services × ${ROUNDS} rounds, sequential requests`,
  );
  console.log(row('runbook GET /entities/E/health', ours));
  console.log(row('stock POST /kubernetes/services', stock));
  console.log(
    `ratio (stock / runbook): p50 ${(
      percentile(stock, 50) / percentile(ours, 50)
    ).toFixed(1)}×, p95 ${(
      percentile(stock, 95) / percentile(ours, 95)
    ).toFixed(1)}×`,
  );
}

main().catch(error => {
  console.error(`bench/health: ${error.message}`);
  process.exit(1);
});
