import type { Entity } from '@backstage/catalog-model';
import { component } from '../../__testUtils__/testBackend';

/**
 * Services of the repo's catalog, in their namespaces, so that the sandbox seeds their
 * security cases (certificates, RBAC, NetworkPolicies, image scans) for them.
 */
export const SECURITY_SERVICES: Record<string, string> = {
  'payment-gateway': 'nexus-payments',
  'admin-console': 'nexus-admin',
  'analytics-pipeline': 'nexus-analytics',
  'config-service': 'nexus-platform',
  'auth-service': 'nexus-identity',
  'search-api': 'nexus-search',
  'media-transcoder': 'nexus-media',
  'api-gateway': 'nexus-api-gateway',
};

export const securityEntities = (
  names = Object.keys(SECURITY_SERVICES),
): Entity[] =>
  names.map(name =>
    component(name, {
      'backstage.io/kubernetes-namespace': SECURITY_SERVICES[name],
    }),
  );

/** Polls `read` until `done` holds, or fails naming what it last saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out; last saw ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];

/** Waits for a run to end and answers it. */
export function finishedRun(
  get: (path: string) => Promise<{ body: any }>,
  runId: string,
  timeoutMs = 90_000,
) {
  return eventually(
    async () => (await get(`/api/runbook/runs/${runId}`)).body,
    run => TERMINAL.includes(run.status),
    timeoutMs,
  );
}
