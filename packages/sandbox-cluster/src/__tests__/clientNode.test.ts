import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { SandboxCluster } from '../startSandboxCluster';
import { startTestCluster } from './testCluster';

/** The official client, as the Backstage plugin and the actions engine use it. */
// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('@kubernetes/client-node against the sandbox', () => {
  let cluster: SandboxCluster;
  let kc: KubeConfig;

  beforeAll(async () => {
    cluster = await startTestCluster({ token: 'engine-token' });
    await cluster.waitForRollouts(20000);
    kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig());
  });
  afterAll(() => cluster.stop());

  it('lists and reads deployments and pods', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const list = await apps.listNamespacedDeployment({
      namespace: 'nexus-shop',
      labelSelector: 'backstage.io/kubernetes-id=cart',
    });
    expect(list.items.map(d => d.metadata?.name)).toEqual(['cart']);
    const cart = await apps.readNamespacedDeployment({
      name: 'cart',
      namespace: 'nexus-shop',
    });
    expect(cart.status?.availableReplicas).toBe(2);
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
      labelSelector: 'app=cart',
    });
    expect(pods.items).toHaveLength(3);
  });

  it('patches with a merge patch and sees the change through a watch', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const start = await apps.readNamespacedDeployment({
      name: 'checkout',
      namespace: 'nexus-shop-staging',
    });
    const seen: Array<{ type: string; replicas?: number }> = [];
    let finished: (value?: unknown) => void = () => {};
    const modified = new Promise(done => {
      finished = done;
    });
    const watch = await new Watch(kc).watch(
      '/apis/apps/v1/namespaces/nexus-shop-staging/deployments',
      {
        fieldSelector: 'metadata.name=checkout',
        resourceVersion: start.metadata!.resourceVersion,
        allowWatchBookmarks: true,
      },
      (type, object) => {
        seen.push({ type, replicas: object.spec?.replicas });
        if (type === 'MODIFIED' && object.spec?.replicas === 5) finished();
      },
      () => {},
    );
    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'checkout',
        namespace: 'nexus-shop-staging',
        body: { spec: { replicas: 5 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(5);
    await modified;
    watch.abort();
    expect(seen[0]).toEqual({ type: 'MODIFIED', replicas: 5 });
  });

  it('surfaces the API Status of a failed call', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const failure = await apps
      .readNamespacedDeployment({ name: 'missing', namespace: 'nexus-shop' })
      .catch(e => e);
    expect(failure.code).toBe(404);
    expect(JSON.parse(failure.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
    });
  });

  it('dry-runs a change server-side', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const dry = await apps.patchNamespacedDeployment(
      {
        name: 'cart',
        namespace: 'nexus-shop',
        body: {
          spec: {
            template: {
              spec: {
                containers: [{ name: 'cart', image: 'nexus-cos/cart:9.9.9' }],
              },
            },
          },
        },
        dryRun: 'All',
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(dry.spec?.template.spec?.containers[0].image).toBe(
      'nexus-cos/cart:9.9.9',
    );
    expect(
      dry.spec?.template.spec?.containers[0].ports?.[0].containerPort,
    ).toBe(8080);
    const live = await apps.readNamespacedDeployment({
      name: 'cart',
      namespace: 'nexus-shop',
    });
    expect(live.spec?.template.spec?.containers[0].image).toBe(
      'nexus-cos/cart:1.0.0',
    );
  });
});
