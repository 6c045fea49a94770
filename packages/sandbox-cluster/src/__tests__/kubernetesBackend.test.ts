import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { SandboxCluster } from '../startSandboxCluster';
import { startTestCluster } from './testCluster';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team',
    },
  };
}

/** Resources of one kind from a `POST /services/:id` response for the one cluster. */
function resources(body: any, type: string) {
  expect(body.items).toHaveLength(1);
  expect(body.items[0].errors).toEqual([]);
  return (
    body.items[0].resources.find((r: any) => r.type === type)?.resources ?? []
  );
}

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('the stock Backstage Kubernetes plugin against the sandbox', () => {
  let cluster: SandboxCluster;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const checkout = component('checkout', {
    'backstage.io/kubernetes-id': 'checkout',
    'backstage.io/kubernetes-namespace': 'nexus-shop',
  });
  const search = component('search', {
    'backstage.io/kubernetes-id': 'search',
  });

  beforeAll(async () => {
    cluster = await startTestCluster();
    await cluster.waitForRollouts(20000);
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [checkout, search] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'x',
                      skipTLSVerify: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await cluster?.stop();
  });

  async function objectsOf(entity: Entity) {
    const res = await fetch(
      `http://localhost:${backend.server.port()}/api/kubernetes/services/${
        entity.metadata.name
      }`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity }),
      },
    );
    expect(res.status).toBe(200);
    return res.json();
  }

  it('returns the pods and deployments of an entity with a namespace annotation', async () => {
    const before = cluster.requestCount;
    const body = await objectsOf(checkout);
    expect(body.items[0].cluster.name).toBe('sandbox');
    const pods = resources(body, 'pods');
    expect(pods).toHaveLength(3);
    expect(
      pods.every(
        (p: any) =>
          p.metadata.namespace === 'nexus-shop' && p.status.phase === 'Running',
      ),
    ).toBe(true);
    const deployments = resources(body, 'deployments');
    expect(deployments.map((d: any) => d.metadata.name)).toEqual(['checkout']);
    expect(deployments[0].status.availableReplicas).toBe(3);
    expect(resources(body, 'replicasets')).toHaveLength(1);
    expect(
      resources(body, 'services').map((s: any) => s.metadata.name),
    ).toEqual(['checkout']);
    expect(resources(body, 'statefulsets')).toEqual([]);
    expect(body.items[0].podMetrics).toHaveLength(3);
    expect(body.items[0].podMetrics[0].containers[0]).toMatchObject({
      container: 'checkout',
      cpuUsage: { currentUsage: expect.any(Number) },
    });
    expect(cluster.requestCount - before).toBeGreaterThanOrEqual(13);
  });

  it('returns the pods and deployments of an entity without one, across namespaces', async () => {
    const body = await objectsOf(search);
    const pods = resources(body, 'pods');
    expect(pods).toHaveLength(2);
    expect(
      pods.every(
        (p: any) =>
          p.metadata.labels['backstage.io/kubernetes-id'] === 'search',
      ),
    ).toBe(true);
    expect(
      resources(body, 'deployments').map(
        (d: any) => `${d.metadata.namespace}/${d.metadata.name}`,
      ),
    ).toEqual(['default/search']);
  });
});
