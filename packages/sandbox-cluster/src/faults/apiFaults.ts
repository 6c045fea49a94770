import { ApiError } from '../api/errors';
import { FaultRegistry } from './FaultRegistry';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Applies API-level faults to one Kubernetes API request before it is served: added
 * latency, a share of 500s, and a share of 409s on writes. `draw` gives numbers in
 * [0, 1), seeded so that a test run repeats.
 */
export async function applyApiFaults(
  faults: FaultRegistry,
  method: string,
  draw: () => number,
) {
  const latency = faults
    .api('api-latency')
    .reduce((t, f) => t + f.latencyMs!, 0);
  if (latency > 0) await new Promise(r => setTimeout(r, latency));
  for (const f of faults.api('api-errors')) {
    if (draw() < f.rate!)
      throw new ApiError(
        500,
        'InternalError',
        'an error on the server ("injected by a sandbox api-errors fault") has prevented the request from succeeding',
      );
  }
  if (!WRITES.has(method)) return;
  for (const f of faults.api('api-conflicts')) {
    if (draw() < f.rate!)
      throw new ApiError(
        409,
        'Conflict',
        'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again (injected by a sandbox api-conflicts fault)',
      );
  }
}

/** How long a new watch stream may live while a watch-cut fault is active, if at all. */
export function watchCutAfter(faults: FaultRegistry): number | undefined {
  const cuts = faults.api('watch-cut').map(f => f.afterMs!);
  return cuts.length ? Math.min(...cuts) : undefined;
}
