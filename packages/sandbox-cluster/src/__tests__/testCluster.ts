import { dirname, resolve } from 'node:path';
import {
  SandboxCluster,
  SandboxClusterOptions,
  startSandboxCluster,
} from '../startSandboxCluster';
import { testClock } from '../traffic/clock';

/** The small catalog the tests seed from: checkout (3-10), cart (1-4), search (no namespace). */
export const FIXTURE_CATALOG = resolve(
  dirname(require.resolve('@nexus-cos/sandbox-cluster/package.json')),
  'src/__fixtures__/catalog',
);

/**
 * Starts a sandbox on a random port, seeded from the fixture catalog unless told
 * otherwise, with its load curves pinned at `testClock()` (NEXUS_TEST_CLOCK).
 */
export function startTestCluster(options: SandboxClusterOptions = {}) {
  return startSandboxCluster({
    port: 0,
    seed: { catalogDir: FIXTURE_CATALOG },
    onError: e => {
      throw e;
    },
    ...options,
    traffic: { startAt: testClock(), ...options.traffic },
  });
}

/**
 * Sets a service's load to `replicas` pods' worth of capacity at the model's current
 * instant (through its load factor in that namespace), so that what a test asserts about
 * utilisation, latency or autoscaling holds whatever hour the clock is pinned at.
 */
export function setLoadInReplicas(
  cluster: SandboxCluster,
  namespace: string,
  service: string,
  replicas: number,
) {
  const { traffic } = cluster;
  traffic.setLoadFactor(service, 1, namespace);
  const curve = traffic.serviceRps(namespace, service);
  const wanted = replicas * traffic.replicaCapacityRps(namespace, service);
  if (!(curve > 0) || !(wanted >= 0))
    throw new Error(`${namespace}/${service} has no load or no pods to set`);
  traffic.setLoadFactor(service, wanted / curve, namespace);
}

export interface Reply {
  status: number;
  body: any;
  contentType: string | null;
}

/** One HTTP call; JSON bodies are sent as `application/json` unless a content type is given. */
export async function call(
  cluster: SandboxCluster,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : text,
  });
  const reply = await res.text();
  const contentType = res.headers.get('content-type');
  let parsed: unknown = reply;
  if (contentType?.startsWith('application/json')) parsed = JSON.parse(reply);
  return { status: res.status, body: parsed, contentType };
}

/** Retries `check` until it stops throwing or `timeoutMs` passes; returns its last value. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}

/** A minimal valid Deployment for tests. */
export function deploymentBody(
  name: string,
  overrides: { replicas?: number; image?: string; extraSpec?: object } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: overrides.image ?? 'example/app:1.0.0',
              ports: [{ containerPort: 8080 }],
              env: [{ name: 'MODE', value: 'test' }],
              resources: { requests: { cpu: '100m' } },
            },
          ],
        },
      },
      ...overrides.extraSpec,
    },
  };
}
