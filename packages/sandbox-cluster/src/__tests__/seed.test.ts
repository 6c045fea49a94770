import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxCluster, startSandboxCluster } from '../startSandboxCluster';
import { call, startTestCluster } from './testCluster';
import { testClock } from '../traffic/clock';

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('seeding from the catalog', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
    await cluster.waitForRollouts(20000);
  });
  afterAll(() => cluster.stop());

  it('seeds each Component with a kubernetes-id into its namespace and staging namespace', async () => {
    expect(cluster.services.map(s => s.id).sort()).toEqual([
      'cart',
      'checkout',
      'search',
    ]);
    const all = (await call(cluster, 'GET', '/apis/apps/v1/deployments')).body
      .items;
    const where = all
      .map(
        (d: any) =>
          `${d.metadata.namespace}/${d.metadata.name}=${d.spec.replicas}`,
      )
      .sort();
    // replicas: the minimum of nexus-cos.io/replicas, at least 2 in production and 1 in staging.
    expect(where).toEqual([
      'default/search=2',
      'nexus-shop-staging/cart=1',
      'nexus-shop-staging/checkout=3',
      'nexus-shop/cart=2',
      'nexus-shop/checkout=3',
    ]);
  });

  it('creates the blue Deployment exactly as the blue-green model and the runbook expect', async () => {
    const d = (
      await call(
        cluster,
        'GET',
        '/apis/apps/v1/namespaces/nexus-shop/deployments/checkout',
      )
    ).body;
    const labels = {
      app: 'checkout',
      version: 'blue',
      'backstage.io/kubernetes-id': 'checkout',
    };
    expect(d.metadata.labels).toEqual(labels);
    expect(d.spec.selector).toEqual({
      matchLabels: { app: 'checkout', version: 'blue' },
    });
    expect(d.spec.template.metadata.labels).toEqual(labels);
    expect(d.spec).toMatchObject({
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    const [container] = d.spec.template.spec.containers;
    expect(container).toMatchObject({
      name: 'checkout',
      image: 'nexus-cos/checkout:1.0.0',
      ports: [{ containerPort: 8080 }],
      resources: {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    });
    expect(container.env).toContainEqual({
      name: 'SERVICE_NAME',
      value: 'checkout',
    });

    const pods = (
      await call(
        cluster,
        'GET',
        '/api/v1/namespaces/nexus-shop/pods?labelSelector=backstage.io/kubernetes-id%3Dcheckout',
      )
    ).body.items;
    expect(pods).toHaveLength(3);
    const sets = (
      await call(
        cluster,
        'GET',
        '/apis/apps/v1/namespaces/nexus-shop/replicasets?labelSelector=backstage.io/kubernetes-id%3Dcheckout',
      )
    ).body.items;
    expect(sets).toHaveLength(1);
  });

  it('creates the Service selecting the live colour, plus a ConfigMap and a Secret', async () => {
    const svc = (
      await call(
        cluster,
        'GET',
        '/api/v1/namespaces/nexus-shop-staging/services/cart',
      )
    ).body;
    expect(svc.metadata.labels['backstage.io/kubernetes-id']).toBe('cart');
    expect(svc.spec).toMatchObject({
      selector: { app: 'cart', version: 'blue' },
      ports: [{ port: 80, targetPort: 8080 }],
      clusterIP: expect.stringMatching(/^10\.96\./),
    });
    const cm = (
      await call(
        cluster,
        'GET',
        '/api/v1/namespaces/nexus-shop-staging/configmaps/cart-config',
      )
    ).body;
    expect(cm.data.SERVICE_NAME).toBe('cart');
    const secret = (
      await call(
        cluster,
        'GET',
        '/api/v1/namespaces/nexus-shop-staging/secrets/cart-secrets',
      )
    ).body;
    expect(secret.type).toBe('Opaque');
    expect(
      Buffer.from(secret.data.DATABASE_PASSWORD, 'base64').toString(),
    ).toBe('sandbox-cart-db-password');
  });

  it('seeds 43 services in two namespaces each and has every pod ready within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-catalog-'));
    const docs = Array.from(
      { length: 43 },
      (_, i) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc-${i}
  annotations:
    backstage.io/kubernetes-id: svc-${i}
    backstage.io/kubernetes-namespace: module-${i % 16}
    nexus-cos.io/staging-namespace: module-${i % 16}-staging
    nexus-cos.io/replicas: "2-6"
    nexus-cos.io/image-repository: nexus-cos/svc-${i}
spec: {type: service, lifecycle: production, owner: group:default/team}`,
    );
    writeFileSync(join(dir, 'components.yaml'), docs.join('\n---\n'));
    const started = Date.now();
    const big = await startTestCluster({ seed: { catalogDir: dir } });
    try {
      await big.waitForRollouts(30000);
      const elapsed = Date.now() - started;
      const pods = (await call(big, 'GET', '/api/v1/pods')).body.items;
      expect(pods).toHaveLength(43 * 4);
      expect(pods.every((p: any) => p.status.containerStatuses[0].ready)).toBe(
        true,
      );
      expect(elapsed).toBeLessThan(15000);
    } finally {
      await big.stop();
      rmSync(dir, { recursive: true });
    }
  });

  it("seeds the repo's catalog by default: 43 services, production and staging", async () => {
    const repo = await startSandboxCluster({
      port: 0,
      traffic: { startAt: testClock() },
    });
    try {
      await repo.waitForRollouts(30000);
      expect(repo.services).toHaveLength(43);
      const deployments = (await call(repo, 'GET', '/apis/apps/v1/deployments'))
        .body.items;
      for (const svc of repo.services) {
        const homes = deployments
          .filter((d: any) => d.metadata.name === svc.id)
          .map((d: any) => d.metadata.namespace);
        expect(homes.sort()).toEqual(
          [svc.namespace, svc.stagingNamespace].sort(),
        );
      }
    } finally {
      await repo.stop();
    }
  });

  it('reports a catalog with invalid YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-catalog-'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      'kind: Component\nmetadata: [unclosed\n',
    );
    try {
      await expect(
        startTestCluster({ seed: { catalogDir: dir } }),
      ).rejects.toThrow(/broken\.yaml: invalid YAML/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses a port that is taken', async () => {
    await expect(
      startTestCluster({ seed: false, port: cluster.port }),
    ).rejects.toThrow(/EADDRINUSE/);
  });

  it('refuses a catalog directory that does not exist', async () => {
    await expect(
      startTestCluster({ seed: { catalogDir: '/nonexistent/catalog' } }),
    ).rejects.toThrow('/nonexistent/catalog does not exist');
  });
});
