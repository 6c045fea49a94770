/**
 * What the benchmarks start for themselves, on random ports, and stop when they end (also
 * on Ctrl-C): sandbox clusters as child processes, Prometheus, PostgreSQL, and the portal's
 * backend (packages/backend from its sources) with a generated config.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { guestToken } from './lib';

export const REPO = path.resolve(__dirname, '..');

/** The instant the sandboxes' load curves are pinned at, so runs compare at any hour. */
export const SANDBOX_CLOCK = '2026-01-07T10:00:00Z';

const stops: Array<() => Promise<void> | void> = [];

/** Registers a clean-up; {@link stopAll} runs them newest first. */
export function onStop(stop: () => Promise<void> | void) {
  stops.push(stop);
}

export async function stopAll() {
  while (stops.length) {
    try {
      await stops.pop()!();
    } catch (error) {
      console.error(`bench: clean-up failed: ${(error as Error).message}`);
    }
  }
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

let workDir: string | undefined;
/** A directory for this run's configs, catalogs and logs. */
export function work(): string {
  workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-'));
  return workDir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(error => {
      if (/ exited/.test((error as Error).message)) throw error;
      return undefined;
    });
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
async function terminate(child: ChildProcess, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A child process whose output goes to `<work>/<name>.log`; resolves once `ready` matches
 * the output, or at once without `ready`. `env` values of undefined are removed.
 */
function spawnLogged(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; ready?: RegExp },
): Promise<{ child: ChildProcess; match: RegExpMatchArray; log: string }> {
  const log = path.join(work(), `${name}.log`);
  const out = fs.openSync(log, 'w');
  const env = { ...process.env, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onStop(() => terminate(child));
  let text = '';
  let ready = options.ready;
  return new Promise((resolve, reject) => {
    if (!ready)
      resolve({ child, match: [] as unknown as RegExpMatchArray, log });
    const onData = (chunk: Buffer) => {
      fs.writeSync(out, chunk);
      if (!ready) return;
      text += chunk;
      const match = ready.exec(text);
      if (match) {
        text = '';
        ready = undefined;
        resolve({ child, match, log });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', code =>
      reject(new Error(`${name} exited with ${code}; see ${log}`)),
    );
  });
}

/**
 * A sandbox cluster in its own process, seeded with a catalog directory (default: the
 * repo's), with `fast` timings (readiness in 200 ms) or `realistic` ones (about 7 s).
 */
export async function startSandbox(
  name: string,
  catalogDir?: string,
  timings: 'fast' | 'realistic' = 'fast',
) {
  const { match } = await spawnLogged(
    name,
    path.join(REPO, 'packages/sandbox-cluster/bin/sandbox-cluster'),
    [
      '--port',
      '0',
      '--timings',
      timings,
      '--start-at',
      SANDBOX_CLOCK,
      ...(catalogDir ? ['--catalog', catalogDir] : []),
    ],
    { ready: /serving the Kubernetes API at (http:\/\/\S+) \((\d+) services/ },
  );
  const url = match[1];
  const services = Number(match[2]);
  await waitFor(
    `the ${services} services of ${name} to be ready`,
    async () => {
      const res = await fetch(`${url}/apis/apps/v1/deployments`);
      const { items } = (await res.json()) as { items: any[] };
      return (
        items.length >= services &&
        items.every(
          d => (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 0),
        )
      );
    },
    300_000,
  );
  const faults = async (method: string, body?: object) => {
    const res = await fetch(`${url}/sandbox/faults`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${name}: faults answered ${res.status}`);
  };
  return {
    name,
    url,
    services,
    /** Adds a fault, e.g. `{ kind: 'api-latency', latencyMs: 50 }`. */
    addFault: (spec: object) => faults('POST', spec),
    clearFaults: () => faults('DELETE'),
  };
}
export type BenchSandbox = Awaited<ReturnType<typeof startSandbox>>;

/** Debian's Prometheus scraping the sandboxes every 5 s, or undefined when it is not installed. */
export async function startPrometheus(sandboxUrls: string[]) {
  if (!fs.existsSync(process.env.PROMETHEUS ?? '/usr/bin/prometheus')) {
    return undefined;
  }
  const dir = path.join(work(), 'prometheus');
  const script = path.join(REPO, 'scripts/services/prometheus.sh');
  const targets = sandboxUrls.map(u => new URL(u).host).join(',');
  const url = execFileSync(
    script,
    ['start', dir, String(await freePort()), targets, '5s'],
    { encoding: 'utf8' },
  ).trim();
  onStop(() => void execFileSync(script, ['stop', dir]));
  return url;
}

/** A PostgreSQL 15 of Debian's, or undefined when it is not installed. */
export async function startPostgres() {
  if (!fs.existsSync('/usr/lib/postgresql/15/bin/initdb')) return undefined;
  // As root it runs as the postgres user, who must reach its directory.
  const dir = fs.mkdtempSync('/var/tmp/nexus-bench-pg-');
  fs.chmodSync(dir, 0o755);
  const script = path.join(REPO, 'scripts/services/postgres.sh');
  const url = execFileSync(script, ['start', dir, String(await freePort())], {
    encoding: 'utf8',
  }).trim();
  onStop(() => {
    execFileSync(script, ['stop', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return url;
}

/** A cluster of Backstage's `kubernetes` config. */
export type BenchCluster = { name: string; url: string };

/**
 * The portal's backend (packages/backend, from its sources, as `make start` runs it) with
 * app-config.yaml and a generated overlay: these clusters and catalog locations, SQLite
 * in the work directory or the PostgreSQL at `postgres`, and `config` merged over it.
 */
export async function startPortal(options: {
  name: string;
  clusters: BenchCluster[];
  catalogLocations: string[];
  prometheusUrl?: string;
  postgres?: string;
  /** multiTenant: every entity on every cluster; singleTenant: `backstage.io/kubernetes-cluster`. */
  serviceLocator?: 'multiTenant' | 'singleTenant';
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const pg = options.postgres && new URL(options.postgres);
  const config = {
    backend: {
      baseUrl: url,
      listen: { port },
      database: pg
        ? {
            client: 'pg',
            connection: {
              host: pg.hostname,
              port: Number(pg.port),
              user: decodeURIComponent(pg.username),
              ...(pg.password
                ? { password: decodeURIComponent(pg.password) }
                : {}),
            },
            // One database per portal, so that portals of one run never share a plugin's.
            prefix: `${options.name.replace(/\W/g, '_')}_`,
          }
        : {
            client: 'better-sqlite3',
            connection: {
              directory: path.join(work(), `${options.name}-sqlite`),
            },
          },
      reading: { allow: [{ host: `127.0.0.1:${port}` }] },
    },
    catalog: {
      locations: options.catalogLocations.map(target => ({
        type: 'file',
        target,
      })),
    },
    kubernetes: {
      serviceLocatorMethod: { type: options.serviceLocator ?? 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: options.clusters.map(c => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'sandbox',
            skipTLSVerify: true,
            skipMetricsLookup: true,
          })),
        },
      ],
    },
    // The search index would read the whole catalog while we measure.
    search: {
      collators: {
        catalog: {
          schedule: {
            frequency: { hours: 24 },
            timeout: { minutes: 15 },
            initialDelay: { hours: 24 },
          },
        },
      },
    },
    runbook: {
      cluster: options.clusters[0]?.name,
      metrics: options.prometheusUrl
        ? { prometheus: { baseUrl: options.prometheusUrl } }
        : {},
      ...(options.config?.runbook as object),
    },
    ...Object.fromEntries(
      Object.entries(options.config ?? {}).filter(([k]) => k !== 'runbook'),
    ),
  };
  const configFile = path.join(work(), `${options.name}.yaml`);
  // JSON is YAML.
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const { child, log } = await spawnLogged(
    options.name,
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(REPO, 'packages/backend'),
      env: {
        NODE_ENV: 'development',
        // Each request would be logged at info: that costs CPU we measure.
        LOG_LEVEL: 'warn',
        // make start's dev services are not this portal's.
        PROMETHEUS_URL: undefined,
        DR_TARGET_URL: undefined,
        REDIS_URL: undefined,
        ...options.env,
      },
    },
  );
  await waitFor(
    `${options.name} to be ready (log: ${log})`,
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`${options.name} exited; see ${log}`);
      }
      return (await fetch(`${url}/.backstage/health/v1/readiness`)).ok;
    },
    180_000,
  );
  return { url, token: await guestToken(url), child, log, configFile };
}
export type BenchPortal = Awaited<ReturnType<typeof startPortal>>;

/**
 * Waits until the catalog holds `count` Components of type service and the guest's
 * groups, then signs in again: a token issued before the catalog knew the guest carries
 * no group, and the policy would refuse the platform lead's changes.
 */
export async function waitForServices(portal: BenchPortal, count: number) {
  await waitFor(
    `${count} services in the catalog`,
    async () => {
      const res = await fetch(
        `${portal.url}/api/catalog/entities/by-query?filter=kind=component,spec.type=service&limit=1`,
        { headers: { Authorization: `Bearer ${portal.token}` } },
      );
      const { totalItems } = (await res.json()) as { totalItems: number };
      return totalItems >= count;
    },
    600_000,
  );
  portal.token = await waitFor(
    "the guest's membership of platform-lead",
    async () => {
      const token = await guestToken(portal.url);
      const res = await fetch(`${portal.url}/api/auth/v1/userinfo`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const { claims } = (await res.json()) as { claims: { ent: string[] } };
      return claims.ent.includes('group:default/platform-lead') && token;
    },
    300_000,
  );
}

/** The repo's catalog files other than its services: domain, systems, org, resources. */
export const REPO_ORG_CATALOG = [
  'catalog/domain.yaml',
  'catalog/systems.yaml',
  'catalog/org.yaml',
  'catalog/resources.yaml',
].map(f => path.join(REPO, f));

/** The repo's whole catalog, as `make start` registers it. */
export const REPO_CATALOG = path.join(REPO, 'catalog-info.yaml');

/**
 * A catalog of `count` generated services spread over `clusters`, owned by the repo's
 * teams and part of its Systems: one file for the portal, and one directory per cluster
 * with that cluster's services for its sandbox to seed.
 */
export function generateCatalog(count: number, clusters: string[]) {
  const dir = path.join(work(), `catalog-${count}`);
  fs.mkdirSync(dir, { recursive: true });
  const systems = [
    ['identity', 'team-identity'],
    ['content', 'team-content'],
    ['media', 'team-media'],
    ['search', 'team-discovery'],
    ['payments', 'team-commerce'],
    ['notifications', 'team-engagement'],
    ['analytics', 'team-data'],
    ['platform', 'team-platform'],
  ];
  const services = Array.from({ length: count }, (_, i) => {
    const name = `gen-${String(i + 1).padStart(4, '0')}`;
    const cluster = clusters[i % clusters.length];
    const [system, owner] = systems[i % systems.length];
    return {
      cluster,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            'backstage.io/kubernetes-id': name,
            'backstage.io/kubernetes-namespace': `nexus-gen-${i % 20}`,
            'backstage.io/kubernetes-cluster': cluster,
            'nexus-cos.io/replicas': '2-4',
            'nexus-cos.io/image-repository': `nexus-cos/${name}`,
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'experimental',
          owner: `group:default/${owner}`,
          system: `system:default/${system}`,
        },
      },
    };
  });
  const docs = (items: typeof services) =>
    items.map(s => JSON.stringify(s.entity)).join('\n---\n');
  const portalFile = path.join(dir, 'services.yaml');
  fs.writeFileSync(portalFile, docs(services));
  const clusterDirs = Object.fromEntries(
    clusters.map(cluster => {
      const clusterDir = path.join(dir, cluster);
      fs.mkdirSync(clusterDir, { recursive: true });
      fs.writeFileSync(
        path.join(clusterDir, 'services.yaml'),
        docs(services.filter(s => s.cluster === cluster)),
      );
      return [cluster, clusterDir];
    }),
  );
  return {
    portalFile,
    clusterDirs,
    entities: services.map(s => s.entity),
  };
}

/**
 * A TCP forwarder in front of a cluster that can start to hang: from `hang()` on it
 * holds every connection, old and new, open without a byte of answer, as a cluster
 * behind a dead network path does.
 */
export async function startHangableProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  let hanging = false;
  const held = new Set<net.Socket>();
  const server = net.createServer(client => {
    held.add(client);
    client.on('close', () => held.delete(client));
    client.on('error', () => client.destroy());
    if (hanging) return;
    const upstream = net.connect(Number(target.port), target.hostname);
    held.add(upstream);
    upstream.on('close', () => held.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const stop = async () => {
    held.forEach(s => s.destroy());
    await new Promise(r => server.close(r));
  };
  onStop(stop);
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hang() {
      hanging = true;
      // Connections already open stop carrying data, in both directions.
      held.forEach(s => {
        s.unpipe();
        s.pause();
      });
    },
  };
}
