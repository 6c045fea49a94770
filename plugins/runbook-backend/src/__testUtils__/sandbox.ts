import { Entity } from '@backstage/catalog-model';
import {
  SandboxClusterOptions,
  startSandboxCluster,
  testClock,
} from '@nexus-cos/sandbox-cluster';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts a sandbox cluster seeded with exactly these entities (a catalog written as JSON
 * documents); `options` adds to the sandbox's own, e.g. the tokens it requires. Its load
 * curves are pinned at `testClock()` (NEXUS_TEST_CLOCK), so no test depends on the hour.
 */
export async function startSeededSandbox(
  entities: Entity[],
  options: Omit<SandboxClusterOptions, 'seed'> = {},
) {
  const catalogDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-catalog-'));
  fs.writeFileSync(
    path.join(catalogDir, 'services.yaml'),
    entities.map(e => JSON.stringify(e)).join('\n---\n'),
  );
  const cluster = await startSandboxCluster({
    port: 0,
    ...options,
    traffic: { startAt: testClock(), ...options.traffic },
    seed: { catalogDir },
  });
  await cluster.waitForRollouts();
  return {
    url: cluster.url,
    /** The sandbox itself, for its hooks: faults, traffic, usage. */
    cluster,
    /** HTTP requests the cluster has answered so far, to prove a read reached it or not. */
    get requestCount() {
      return cluster.requestCount;
    },
    /** Replaces what metrics.k8s.io reports for running pods. */
    setPodUsage: cluster.setPodUsage,
    /** Reads an object through the cluster's HTTP API, as kubectl would. */
    async get(apiPath: string): Promise<any> {
      const res = await fetch(`${cluster.url}${apiPath}`);
      return res.status === 404 ? undefined : res.json();
    },
    async send(
      method: string,
      apiPath: string,
      body: unknown,
      type = 'application/json',
    ) {
      const res = await fetch(`${cluster.url}${apiPath}`, {
        method,
        headers: { 'Content-Type': type },
        body: JSON.stringify(body),
      });
      if (!res.ok)
        throw new Error(
          `${method} ${apiPath}: ${res.status} ${await res.text()}`,
        );
      return res.json();
    },
    async stop() {
      await cluster.stop();
      fs.rmSync(catalogDir, { recursive: true, force: true });
    },
  };
}

/** Backstage's `kubernetes` config with the sandbox at `url` as cluster `sandbox`. */
export function sandboxKubernetesConfig(url: string) {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'sandbox',
            url,
            authProvider: 'serviceAccount',
            // The sandbox speaks plain HTTP, which client-node refuses without this.
            skipTLSVerify: true,
          },
        ],
      },
    ],
  };
}
