/** Shared helpers of the benchmarks: sign-in, the catalog's services, timing, percentiles. */
import type { Entity } from '@backstage/catalog-model';

/** Signs in with the dev guest provider, as the portal's sign-in page does. */
export async function guestToken(backend: string): Promise<string> {
  const res = await fetch(`${backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  }).catch(() => undefined);
  if (!res?.ok) {
    throw new Error(
      `no portal at ${backend}: start it with 'make start' first`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

/** Every Component of type service in the catalog. */
export async function listServices(backend: string, token: string) {
  const res = await fetch(
    `${backend}/api/catalog/entities/by-query?filter=kind=component,spec.type=service&limit=1000`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  const { items } = (await res.json()) as { items: Entity[] };
  if (items.length === 0) throw new Error('the catalog has no services yet');
  return items;
}

/** Times `rounds` sequential passes over the entities; a non-2xx answer aborts the run. */
export async function timeRequests(
  entities: Entity[],
  rounds: number,
  request: (entity: Entity) => Promise<Response>,
): Promise<number[]> {
  await Promise.all(entities.map(request)); // warm-up: caches and connections
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const entity of entities) {
      const start = performance.now();
      const res = await request(entity);
      await res.arrayBuffer();
      samples.push(performance.now() - start);
      if (!res.ok) {
        throw new Error(`${res.url} answered ${res.status}`);
      }
    }
  }
  return samples;
}

/** The p-th percentile (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
