import { X509Certificate, createPrivateKey } from 'node:crypto';
import { SandboxCluster, startSandboxCluster } from '../startSandboxCluster';
import { call, eventually, startTestCluster } from './testCluster';

/**
 * What the repo's catalog is seeded with for security operations, as the README lists
 * it: certificates and TLS Secrets, risky and clean RBAC, NetworkPolicies and
 * trivy-operator reports.
 */
const DAY = 86_400_000;
const ID = 'backstage.io/kubernetes-id';
const CM = '/apis/cert-manager.io/v1';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const TRIVY = '/apis/aquasecurity.github.io/v1alpha1';

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const ready = (o: any) =>
  o.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe("the repo catalog's security seeds", () => {
  let cluster: SandboxCluster;
  const items = async (path: string) =>
    (await call(cluster, 'GET', path)).body.items as any[];
  const get = async (path: string) => (await call(cluster, 'GET', path)).body;

  beforeAll(async () => {
    cluster = await startSandboxCluster({ port: 0 });
  });
  afterAll(() => cluster.stop());

  it('issues every seeded Certificate before the cluster starts', async () => {
    const certificates = await items(`${CM}/certificates`);
    expect(
      certificates
        .map(c => `${c.metadata.namespace}/${c.metadata.name}`)
        .sort(),
    ).toEqual([
      'cert-manager/nexus-cos-root-ca',
      'nexus-api-gateway/api-gateway',
      'nexus-edge/cdn-edge-cache',
      'nexus-identity/auth-service',
      'nexus-media/media-upload',
      'nexus-payments/payment-gateway',
      'nexus-platform/config-service-internal',
      'nexus-streaming/stream-gateway',
    ]);
    for (const cert of certificates) {
      expect([cert.metadata.name, ready(cert), cert.status.revision]).toEqual([
        cert.metadata.name,
        'True',
        1,
      ]);
      const secret = await get(
        `/api/v1/namespaces/${cert.metadata.namespace}/secrets/${cert.spec.secretName}`,
      );
      expect(secret.type).toBe('kubernetes.io/tls');
      expect(
        secret.metadata.annotations['cert-manager.io/certificate-name'],
      ).toBe(cert.metadata.name);
      // A service's TLS Secret carries its kubernetes-id, through the secretTemplate
      // (the CA's has none).
      expect(secret.metadata.labels[ID]).toBe(cert.metadata.labels[ID]);
    }
    const issuers = await items(`${CM}/clusterissuers`);
    expect(issuers.map(i => [i.metadata.name, ready(i)])).toEqual([
      ['nexus-cos-ca', 'True'],
      ['selfsigned', 'True'],
    ]);
  });

  it('names each TLS Secret from an Ingress of its service', async () => {
    const ingresses = await items('/apis/networking.k8s.io/v1/ingresses');
    expect(ingresses).toHaveLength(7);
    for (const ingress of ingresses) {
      const { secretName, hosts } = ingress.spec.tls[0];
      const secret = await get(
        `/api/v1/namespaces/${ingress.metadata.namespace}/secrets/${secretName}`,
      );
      expect(secret.metadata.labels[ID]).toBe(ingress.metadata.labels[ID]);
      const x509 = new X509Certificate(decode(secret.data['tls.crt']));
      expect(x509.subjectAltName).toBe(
        hosts.map((h: string) => `DNS:${h}`).join(', '),
      );
    }
  });

  it('has a CA-issued payment-gateway certificate that expires within 9 days', async () => {
    const cert = await get(
      `${CM}/namespaces/nexus-payments/certificates/payment-gateway`,
    );
    const notAfter = Date.parse(cert.status.notAfter);
    expect(notAfter - Date.now()).toBeGreaterThan(6 * DAY);
    expect(notAfter - Date.now()).toBeLessThan(9 * DAY);
    // renewBefore 72h: cert-manager would renew it in about four days, not yet.
    expect(Date.parse(cert.status.renewalTime)).toBe(notAfter - 3 * DAY);
    const secret = await get(
      '/api/v1/namespaces/nexus-payments/secrets/payment-gateway-tls',
    );
    const x509 = new X509Certificate(decode(secret.data['tls.crt']));
    expect(Date.parse(x509.validTo)).toBe(notAfter);
    expect(x509.issuer).toBe('CN=Nexus COS Sandbox Root CA');
    expect(
      x509.checkPrivateKey(createPrivateKey(decode(secret.data['tls.key']))),
    ).toBe(true);
  });

  it('has a TLS Secret that cert-manager does not manage', async () => {
    const secret = await get(
      '/api/v1/namespaces/nexus-admin/secrets/admin-console-tls',
    );
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.metadata.labels).toEqual({ [ID]: 'admin-console' });
    expect(secret.metadata.annotations).toBeUndefined();
    expect(await items(`${CM}/namespaces/nexus-admin/certificates`)).toEqual(
      [],
    );
    const x509 = new X509Certificate(decode(secret.data['tls.crt']));
    expect(x509.subject).toBe('CN=admin.nexus-cos.example\nO=Nexus COS');
    expect(Date.parse(x509.validTo)).toBeGreaterThan(Date.now());
  });

  it('seeds one risky RBAC case per namespace and a clean one', async () => {
    const roles = await items(`${RBAC}/roles`);
    const bindings = await items(`${RBAC}/rolebindings`);
    const clusterBindings = await items(`${RBAC}/clusterrolebindings`);
    const serviceAccounts = await items('/api/v1/serviceaccounts');
    const inNs = (list: any[], ns: string) =>
      list.filter(o => o.metadata.namespace === ns);

    // Wildcard Role in nexus-analytics.
    expect(inNs(roles, 'nexus-analytics')[0].rules).toEqual([
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ]);
    // cluster-admin for nexus-platform's default ServiceAccount.
    expect(
      clusterBindings.find(b =>
        b.subjects.some(
          (s: any) => s.namespace === 'nexus-platform' && s.name === 'default',
        ),
      ).roleRef,
    ).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    });
    // A Role that reads Secrets in nexus-payments, bound to the service's account.
    const reader = inNs(roles, 'nexus-payments')[0];
    expect(reader.rules[0].resources).toEqual(['secrets']);
    expect(inNs(bindings, 'nexus-payments')[0].subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'payment-gateway',
        namespace: 'nexus-payments',
      },
    ]);
    // A binding to a ServiceAccount that does not exist, in nexus-identity.
    const [missing] = inNs(bindings, 'nexus-identity');
    expect(missing.subjects[0].name).toBe('legacy-deployer');
    expect(
      serviceAccounts.some(
        a =>
          a.metadata.namespace === 'nexus-identity' &&
          a.metadata.name === 'legacy-deployer',
      ),
    ).toBe(false);
    // nexus-search: bindings to accounts and groups that exist, rules without wildcards or Secrets.
    const clean = inNs(roles, 'nexus-search');
    expect(clean).toHaveLength(1);
    expect(JSON.stringify(clean[0].rules)).not.toMatch(/\*|secrets/);
    expect(
      inNs(bindings, 'nexus-search')
        .map(b => b.roleRef.name)
        .sort(),
    ).toEqual(['search-api-config-reader', 'view']);
    // Every namespace has its default ServiceAccount; the bootstrap roles exist.
    expect(
      serviceAccounts.filter(a => a.metadata.name === 'default').length,
    ).toBe((await items('/api/v1/namespaces')).length);
    expect(
      (await items(`${RBAC}/clusterroles`)).map(r => r.metadata.name).sort(),
    ).toEqual(['admin', 'cluster-admin', 'edit', 'view']);
  });

  it('seeds NetworkPolicies in some service namespaces, not all', async () => {
    const policies = await items('/apis/networking.k8s.io/v1/networkpolicies');
    expect(
      [...new Set(policies.map(p => p.metadata.namespace))].sort(),
    ).toEqual(['nexus-api-gateway', 'nexus-identity', 'nexus-payments']);
  });

  it('reports vulnerabilities against the current ReplicaSets, mapping back to services', async () => {
    const reports = await eventually(async () => {
      const found = await items(`${TRIVY}/vulnerabilityreports`);
      // Four images, in production and staging, plus media-transcoder's batch worker.
      expect(found).toHaveLength(9);
      return found;
    });
    for (const report of reports) {
      const ns = report.metadata.namespace;
      const rsName = report.metadata.ownerReferences[0].name;
      const rs = await get(
        `/apis/apps/v1/namespaces/${ns}/replicasets/${rsName}`,
      );
      const deployment = await get(
        `/apis/apps/v1/namespaces/${ns}/deployments/${rs.metadata.ownerReferences[0].name}`,
      );
      expect(rs.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
        deployment.metadata.annotations['deployment.kubernetes.io/revision'],
      );
      expect(deployment.metadata.labels[ID]).toBe(
        report.report.artifact.repository.replace('nexus-cos/', ''),
      );
    }
    const payments = reports.find(
      r => r.metadata.namespace === 'nexus-payments',
    );
    expect(payments.report.summary).toMatchObject({
      criticalCount: 2,
      highCount: 5,
      mediumCount: 14,
      lowCount: 31,
      unknownCount: 2,
    });
    expect(payments.report.vulnerabilities).toHaveLength(5);
    const hashed = reports.filter(
      r => r.metadata.labels['trivy-operator.resource.name-hash'],
    );
    expect(
      hashed.map(r => r.metadata.annotations['trivy-operator.resource.name']),
    ).toEqual([
      expect.stringMatching(
        /^media-transcoder-legacy-archive-reencode-batch-worker-pool-\w+$/,
      ),
    ]);
    expect((await items(`${TRIVY}/configauditreports`)).length).toBe(9);
  });
});

describe('security seeds of other catalogs', () => {
  it('leave services the plan does not name alone, keeping only the cluster-wide issuers', async () => {
    const cluster = await startTestCluster();
    try {
      const all = async (path: string) =>
        (await call(cluster, 'GET', path)).body.items.map(
          (o: any) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        );
      expect(await all(`${CM}/certificates`)).toEqual([
        'cert-manager/nexus-cos-root-ca',
      ]);
      expect(await all(`${CM}/clusterissuers`)).toEqual([
        '/nexus-cos-ca',
        '/selfsigned',
      ]);
      expect(await all('/apis/networking.k8s.io/v1/ingresses')).toEqual([]);
      expect(await all(`${RBAC}/rolebindings`)).toEqual([]);
      expect(await all(`${TRIVY}/vulnerabilityreports`)).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});
