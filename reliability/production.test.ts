/**
 * The production bundle as two replicas: `yarn build:backend`'s bundle, laid out as the
 * image lays it out (scripts/production-bundle), run as two `node packages/backend`
 * processes with app-config.production.yaml on one PostgreSQL. A test-only overlay signs
 * in through the guest provider and points the cluster at a sandbox; the production
 * config itself is unchanged. Of concurrent runs on one service spread over both, exactly
 * one executes; a run started on one is seen and cancelled on the other; error bodies
 * carry no stack traces.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net, { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { sleep, startSandboxProcess, waitFor } from './lib';

jest.setTimeout(400_000);

const DIR = process.env.RELIABILITY_PRODUCTION_DIR;
const PG_PORT = process.env.RELIABILITY_POSTGRES_PORT;
const NODE = process.execPath;
// Production services of the repo's catalog, which the bundle loads.
const CONTENDED = { name: 'search-api', namespace: 'nexus-search' };
const CANCELLED = { name: 'search-indexer', namespace: 'nexus-search' };

type Replica = { url: string; process: ChildProcess; log: string[] };

describe('the production bundle, as two replicas on one PostgreSQL', () => {
  let sandbox: Awaited<ReturnType<typeof startSandboxProcess>>;
  const replicas: Replica[] = [];
  let token: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'production-'));

  /** The runbook API of replica `i`, as the signed-in guest (a platform lead). */
  async function runbook(
    i: number,
    method: string,
    route: string,
    body?: object,
  ) {
    const res = await fetch(`${replicas[i].url}/api/runbook${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body && JSON.stringify(body),
    });
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  }

  async function startReplica(port: number): Promise<Replica> {
    const url = `http://localhost:${port}`;
    const overlay = path.join(work, `overlay-${port}.yaml`);
    fs.writeFileSync(
      overlay,
      stringify({
        app: { baseUrl: url },
        backend: {
          baseUrl: url,
          listen: { port },
          cors: { origin: url },
        },
        // Test-only: sign-in without an identity provider.
        auth: {
          providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
        },
        // The sandbox speaks plain HTTP.
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'production',
                  url: sandbox.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'unused',
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
        runbook: { defaults: { rolloutTimeoutSeconds: 120 } },
      }),
    );
    const log: string[] = [];
    const child = spawn(
      NODE,
      [
        'packages/backend',
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
        '--config',
        overlay,
      ],
      {
        cwd: DIR,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          APP_BASE_URL: url,
          BACKEND_BASE_URL: url,
          POSTGRES_HOST: '127.0.0.1',
          POSTGRES_PORT: PG_PORT,
          POSTGRES_USER: 'postgres',
          POSTGRES_PASSWORD: 'unused',
          K8S_CLUSTER_URL: sandbox.url,
          K8S_SERVICE_ACCOUNT_TOKEN: 'unused',
          K8S_CA_DATA: 'unused',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', d => log.push(String(d)));
    child.stderr!.on('data', d => log.push(String(d)));
    return { url, process: child, log };
  }

  const freePort = () =>
    new Promise<number>(resolve => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });

  beforeAll(async () => {
    if (!DIR || !PG_PORT) {
      throw new Error(
        'the production bundle is built by make reliability (scripts/production-bundle)',
      );
    }
    sandbox = await startSandboxProcess();
    // One after the other: the first creates the plugins' databases.
    for (let i = 0; i < 2; i++) {
      const replica = await startReplica(await freePort());
      replicas.push(replica);
      await waitFor(
        `replica ${i} to be ready`,
        async () =>
          (
            await fetch(`${replica.url}/.backstage/health/v1/readiness`).catch(
              () => undefined,
            )
          )?.ok === true,
        180_000,
      ).catch(error => {
        throw new Error(
          `${error.message}\n${replica.log.join('').slice(-3000)}`,
        );
      });
    }
    const session = await (
      await fetch(`${replicas[0].url}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      })
    ).json();
    token = session.backstageIdentity.token;
    // Both replicas have loaded the catalog from its files.
    for (const i of [0, 1]) {
      await waitFor(
        `replica ${i} to know ${CONTENDED.name}`,
        async () =>
          (
            await runbook(
              i,
              'GET',
              `/entities/component/default/${CONTENDED.name}/runbook`,
            )
          ).status === 200,
        180_000,
      );
    }
  });

  afterAll(async () => {
    for (const r of replicas) r.process.kill('SIGTERM');
    await sleep(1000);
    await sandbox?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves the frontend from both, and a token one replica issued works on the other', async () => {
    for (const { url } of replicas) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    const onB = await runbook(1, 'GET', '/audit/verify');
    expect(onB).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('executes exactly one of 20 concurrent runs on one service spread over both', async () => {
    const route = `/entities/component/default/${CONTENDED.name}/runs`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runbook(i % 2, 'POST', route, {
          action: 'scale',
          input: { replicas: 3 + (i % 3) },
          confirm: CONTENDED.name,
          reason: `contention ${i}`,
        }),
      ),
    );
    const statuses = answers.map(a => a.status).sort();
    expect(statuses).toEqual([202, ...Array(19).fill(409)]);
    const accepted = answers.find(a => a.status === 202)!.body;
    for (const refused of answers.filter(a => a.status === 409)) {
      expect(refused.body.error.message).toContain(CONTENDED.name);
    }
    await waitFor(
      'the accepted run to end, as the other replica sees it',
      async () =>
        ['succeeded', 'failed', 'rolled-back'].includes(
          (
            await runbook(1, 'GET', `/runs/${accepted.id}`)
          ).body.status,
        ),
      120_000,
    );
    expect((await runbook(0, 'GET', `/runs/${accepted.id}`)).body.status).toBe(
      'succeeded',
    );
  });

  it('shows a run started on one replica on the other, which cancels it', async () => {
    const started = await runbook(
      0,
      'POST',
      `/entities/component/default/${CANCELLED.name}/runs`,
      {
        action: 'set-image',
        input: { image: `nexus-cos/${CANCELLED.name}:broken` },
        confirm: CANCELLED.name,
      },
    );
    expect(started.status).toBe(202);
    const id = started.body.id;
    await waitFor(
      'the run to be running on the other replica',
      async () =>
        (await runbook(1, 'GET', `/runs/${id}`)).body.status === 'running',
      60_000,
    );
    expect(
      (await runbook(1, 'POST', `/runs/${id}/cancel`)).status,
    ).toBeLessThan(300);
    await waitFor(
      'the run to be cancelled',
      async () =>
        (await runbook(0, 'GET', `/runs/${id}`)).body.status === 'cancelled',
      60_000,
    );
    const deployment = await sandbox.get(
      `/apis/apps/v1/namespaces/${CANCELLED.namespace}/deployments/${CANCELLED.name}`,
    );
    expect(deployment.spec.template.spec.containers[0].image).not.toContain(
      ':broken',
    );
  });

  it('answers bad requests with a reason and no stack trace', async () => {
    const answers = [
      await runbook(0, 'GET', '/runs/not-a-run'),
      await runbook(
        1,
        'POST',
        `/entities/component/default/${CONTENDED.name}/runs`,
        {
          action: 'scale',
          input: { replicas: 'many' },
        },
      ),
      await runbook(0, 'GET', '/audit?limit=0'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.message).toEqual(expect.any(String));
      expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
      expect(answer.body.error.stack).toBeUndefined();
    }
  });
});
