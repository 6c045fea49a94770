import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunbookClient,
  clusterTokenHeader,
} from '@nexus-cos/plugin-runbook-common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { runbookPlugin } from '../plugin';
import { startSeededSandbox } from '../__testUtils__/sandbox';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'cluster-admin';
/** What the browser holds after an Okta sign-in; the sandbox lets it read. */
const USER_TOKEN = 'okta-id-token-of-alice';
const TTL_MS = 3000;
const HEADER = clusterTokenHeader('oidc.okta');

const component = (name: string, namespace: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': namespace,
      'nexus-cos.io/replicas': '2-6',
      'nexus-cos.io/image-repository': `nexus-cos/${name}`,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/a' },
});
const ENTITIES = [
  component('payments', 'nexus-pay'),
  component('ledger', 'nexus-pay'),
  component('search', 'nexus-search'),
];

describe('health of a cluster whose credentials only the user holds (oidc)', () => {
  let cluster: Awaited<ReturnType<typeof startSeededSandbox>>;
  let http: ReturnType<typeof request>;
  let client: RunbookClient;
  let stopBackend: () => Promise<void>;

  const asAdmin = async (method: string, apiPath: string, body?: unknown) => {
    const res = await fetch(`${cluster.url}${apiPath}`, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN_TOKEN}`,
        'Content-Type': 'application/merge-patch+json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${apiPath}: ${res.status}`);
    return res.json();
  };
  const health = (service: string, token?: string) => {
    const req = http.get(
      `/api/runbook/entities/component/default/${service}/health`,
    );
    return token ? req.set(HEADER, token) : req;
  };
  const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

  beforeAll(async () => {
    cluster = await startSeededSandbox(ENTITIES, {
      token: ADMIN_TOKEN,
      readOnlyToken: USER_TOKEN,
    });
    const backend = await startTestBackend({
      features: [
        runbookPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'prod',
                      url: cluster.url,
                      authProvider: 'oidc',
                      oidcTokenProvider: 'okta',
                      skipTLSVerify: true,
                    },
                  ],
                },
              ],
            },
            runbook: { health: { userReads: { ttlMs: TTL_MS } } },
          },
        }),
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
    });
    http = request(backend.server);
    const port = (backend.server.address() as AddressInfo).port;
    client = new RunbookClient({
      discoveryApi: {
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/runbook`,
      },
    });
    stopBackend = () => backend.stop();
  });
  afterAll(async () => {
    await stopBackend?.();
    await cluster?.stop();
  });

  it('asks for the user token, and reaches no cluster, when none is sent', async () => {
    const before = cluster.requestCount;
    const res = await health('payments');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'unknown',
      reasons: [
        {
          code: 'cluster-auth-required',
          message: `Cluster prod is read with your own oidc.okta sign-in, and this request brought none: sign in to oidc.okta to see its workload (API callers: the ${HEADER} header)`,
        },
      ],
      clusterAuth: { cluster: 'prod', authProvider: 'oidc.okta' },
    });
    expect(res.body.workload).toBeUndefined();
    const events = await http.get(
      '/api/runbook/entities/component/default/payments/events',
    );
    expect(events.status).toBe(403);
    expect(events.body.error.message).toContain(HEADER);
    expect(cluster.requestCount).toBe(before);
  });

  it("reads the workload with the user's token, through the client", async () => {
    const body = await client.getHealth('component:default/payments', {
      clusterToken: { authProvider: 'oidc.okta', token: USER_TOKEN },
    });
    expect(body.status).toBe('healthy');
    expect(body.workload).toMatchObject({
      cluster: 'prod',
      namespace: 'nexus-pay',
      service: 'payments',
      deployments: [{ name: 'payments', replicas: 2, readyReplicas: 2 }],
    });
    expect(body.workload!.pods).toHaveLength(2);
    const { items } = await client.getEvents('component:default/payments', {
      clusterToken: { authProvider: 'oidc.okta', token: USER_TOKEN },
    });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every(e => /payments/.test(e.object))).toBe(true);
    const log = await client.getLogs('component:default/payments', {
      tail: 5,
      clusterToken: { authProvider: 'oidc.okta', token: USER_TOKEN },
    });
    expect(log.pod).toMatch(/^payments-/);
  });

  it('reads a namespace once per user and interval, however many services and reads', async () => {
    await sleep(TTL_MS + 100);
    const before = cluster.requestCount;
    for (let i = 0; i < 20; i++) {
      const res = await health(i % 2 ? 'payments' : 'ledger', USER_TOKEN);
      expect(res.body.status).toBe('healthy');
    }
    // Deployments, ReplicaSets, Pods, Services, HPAs and Events of nexus-pay: one list each.
    expect(cluster.requestCount - before).toBe(6);
  });

  it('shows a change once the short cache expires', async () => {
    await asAdmin(
      'PATCH',
      '/apis/apps/v1/namespaces/nexus-pay/deployments/payments/scale',
      { spec: { replicas: 3 } },
    );
    const deadline = Date.now() + TTL_MS + 10_000;
    let replicas: number | undefined;
    while (Date.now() < deadline && replicas !== 3) {
      replicas = (await health('payments', USER_TOKEN)).body.workload
        ?.deployments[0].replicas;
      await sleep(100);
    }
    expect(replicas).toBe(3);
  });

  it("refuses another token, without serving it the first user's read", async () => {
    const res = await health('payments', 'Bearer forged-token');
    expect(res.body).toMatchObject({
      status: 'unknown',
      reasons: [
        {
          code: 'cluster-auth-required',
          message: expect.stringMatching(
            /^Cluster prod refused your oidc\.okta credentials for namespace nexus-pay: .*401/,
          ),
        },
      ],
    });
    expect(res.body.workload).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('forged-token');
    const logs = await http
      .get('/api/runbook/entities/component/default/payments/logs')
      .set(HEADER, 'forged-token');
    expect(logs.status).toBe(403);
    expect(logs.body.error.message).not.toContain('forged-token');
  });

  it('builds the overview from one read per namespace', async () => {
    await sleep(TTL_MS + 100);
    const before = cluster.requestCount;
    const overview = await client.getHealthOverview({
      clusterToken: { authProvider: 'oidc.okta', token: USER_TOKEN },
    });
    expect(overview.clusterAuth).toEqual({
      cluster: 'prod',
      authProvider: 'oidc.okta',
    });
    expect(overview.items.map(i => [i.entityRef, i.status])).toEqual([
      ['component:default/payments', 'healthy'],
      ['component:default/ledger', 'healthy'],
      ['component:default/search', 'healthy'],
    ]);
    expect(cluster.requestCount - before).toBe(12);
  });
});
