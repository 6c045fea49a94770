import { PodLogs } from '../controllers/PodLogs';
import { PodTraffic } from '../traffic/TrafficModel';
import { hash } from '../traffic/random';

const ROUTES = [
  'GET /api/v1/items',
  'GET /api/v1/items/:id',
  'POST /api/v1/items',
  'GET /api/v1/session',
  'PUT /api/v1/items/:id',
];
const FAILURES = [
  'upstream request failed: connect ETIMEDOUT 10.96.0.21:6379 (redis)',
  'database query failed: remaining connection slots are reserved (connection pool exhausted)',
  'unhandled exception in request handler: TypeError: Cannot read properties of undefined',
];

/**
 * Writes a sample of each serving pod's requests to its container log, one access
 * line per tick, plus an ERROR line whenever at least 1% of its requests fail (as in an
 * error spike or overload) and a WARN line for slow responses. `tick` varies the lines.
 */
export function writeRequestLogs(
  logs: PodLogs,
  pods: Iterable<PodTraffic>,
  tick: number,
) {
  const now = new Date().toISOString();
  for (const pod of pods) {
    const s = pod.signals;
    if (s.rps <= 0) continue;
    const pick = hash(pod.uid, tick);
    const route = ROUTES[pick % ROUTES.length];
    const ms = Math.round(s.medianLatency * 1000);
    const lines = [`${now} INFO ${route} 200 ${ms}ms rps=${s.rps.toFixed(1)}`];
    const failing = s.errorShare + s.shedShare;
    if (failing >= 0.01) {
      const code = s.shedShare > s.errorShare ? 503 : 500;
      lines.push(
        `${now} ERROR ${route} ${code} ${
          FAILURES[pick % FAILURES.length]
        } (${Math.round(failing * 100)}% of requests failing)`,
      );
    }
    if (s.medianLatency > 1)
      lines.push(`${now} WARN slow response ${route} took ${ms}ms`);
    for (const container of pod.containers)
      for (const line of lines) logs.appendByUid(pod.uid, container, line);
  }
}
