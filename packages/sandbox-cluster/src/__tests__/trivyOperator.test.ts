import { SandboxCluster } from '../startSandboxCluster';
import { computeHash } from '../trivy/reportNames';
import { ImageScan } from '../trivy/imageScans';
import {
  call,
  deploymentBody,
  eventually,
  startTestCluster,
} from './testCluster';

/**
 * trivy-operator's reports in the sandbox: written against the current ReplicaSet of
 * each Deployment whose image has scan results, in trivy-operator's names, labels and
 * shape, and following the ReplicaSets through rollouts.
 */
const NS = 'nexus-shop';
const VULNS = `/apis/aquasecurity.github.io/v1alpha1/namespaces/${NS}/vulnerabilityreports`;
const AUDITS = `/apis/aquasecurity.github.io/v1alpha1/namespaces/${NS}/configauditreports`;

const scan = (overrides: Partial<ImageScan> = {}): ImageScan => ({
  os: { family: 'debian', name: '12.7' },
  vulnerabilities: [
    {
      vulnerabilityID: 'CVE-2024-3094',
      resource: 'liblzma5',
      installedVersion: '5.6.0-0.2',
      fixedVersion: '5.6.1+really5.4.5-1',
      severity: 'CRITICAL',
      title: 'xz: malicious code in distributed source',
    },
  ],
  ...overrides,
});

describe('trivy-operator reports', () => {
  let cluster: SandboxCluster;
  const get = async (path: string) => (await call(cluster, 'GET', path)).body;
  const currentReplicaSet = async (deployment: string) => {
    const d = await get(
      `/apis/apps/v1/namespaces/${NS}/deployments/${deployment}`,
    );
    const revision =
      d.metadata.annotations['deployment.kubernetes.io/revision'];
    return (
      await get(
        `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${deployment}`,
      )
    ).items.find(
      (rs: any) =>
        rs.metadata.annotations['deployment.kubernetes.io/revision'] ===
          revision && rs.metadata.ownerReferences[0].name === deployment,
    );
  };
  const reportsFor = async (rsName: string) =>
    (
      await get(
        `${VULNS}?labelSelector=trivy-operator.resource.name%3D${rsName}`,
      )
    ).items;

  beforeAll(async () => {
    cluster = await startTestCluster();
    await cluster.waitForRollouts(20000);
  });
  afterAll(() => cluster.stop());

  it('reports the current ReplicaSet of a scanned image, in trivy-operator’s shape', async () => {
    cluster.imageScans.set(
      'nexus-cos/checkout:1.0.0',
      scan({ totals: { CRITICAL: 1, HIGH: 4, MEDIUM: 7, LOW: 0, UNKNOWN: 1 } }),
    );
    const rs = await currentReplicaSet('checkout');
    const [report] = await eventually(async () => {
      const found = await reportsFor(rs.metadata.name);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(report.metadata).toMatchObject({
      name: `replicaset-${rs.metadata.name}-checkout`,
      namespace: NS,
      labels: {
        'trivy-operator.resource.kind': 'ReplicaSet',
        'trivy-operator.resource.name': rs.metadata.name,
        'trivy-operator.resource.namespace': NS,
        'trivy-operator.container.name': 'checkout',
        'app.kubernetes.io/managed-by': 'trivy-operator',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: false,
        },
      ],
    });
    expect(report.report).toMatchObject({
      updateTimestamp: expect.stringMatching(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      ),
      artifact: { repository: 'nexus-cos/checkout', tag: '1.0.0' },
      registry: { server: 'index.docker.io' },
      scanner: { name: 'Trivy', vendor: 'Aqua Security' },
      os: { family: 'debian', name: '12.7' },
      // The summary counts more than the list holds.
      summary: {
        criticalCount: 1,
        highCount: 4,
        mediumCount: 7,
        lowCount: 0,
        unknownCount: 1,
      },
    });
    expect(report.report.vulnerabilities).toEqual([
      expect.objectContaining({
        vulnerabilityID: 'CVE-2024-3094',
        resource: 'liblzma5',
        installedVersion: '5.6.0-0.2',
        fixedVersion: '5.6.1+really5.4.5-1',
        severity: 'CRITICAL',
        title: 'xz: malicious code in distributed source',
        primaryLink: 'https://avd.aquasec.com/nvd/cve-2024-3094',
      }),
    ]);

    // The staging namespace runs the same image, so it has its own report.
    const staging = await get(
      '/apis/aquasecurity.github.io/v1alpha1/namespaces/nexus-shop-staging/vulnerabilityreports',
    );
    expect(
      staging.items.map(
        (r: any) => r.metadata.labels['trivy-operator.container.name'],
      ),
    ).toEqual(['checkout']);

    const audit = await eventually(async () => {
      const found = (
        await get(
          `${AUDITS}?labelSelector=trivy-operator.resource.name%3D${rs.metadata.name}`,
        )
      ).items;
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(audit.metadata.name).toBe(`replicaset-${rs.metadata.name}`);
    expect(audit.report.checks.map((c: any) => c.checkID)).toContain('KSV014');
    expect(audit.report.checks.every((c: any) => c.success === false)).toBe(
      true,
    );
    // The seeded template sets requests and limits, so those checks pass.
    expect(audit.report.checks.map((c: any) => c.checkID)).not.toContain(
      'KSV011',
    );
    expect(audit.report.summary.highCount).toBeGreaterThan(0);
  });

  it('follows the Deployment to its new ReplicaSet and drops the old one’s reports', async () => {
    const before = await currentReplicaSet('checkout');
    await eventually(async () =>
      expect(await reportsFor(before.metadata.name)).toHaveLength(1),
    );
    cluster.imageScans.set(
      'nexus-cos/checkout:1.1.0',
      scan({ vulnerabilities: [] }),
    );
    const patched = await call(
      cluster,
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/checkout`,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'checkout', image: 'nexus-cos/checkout:1.1.0' },
              ],
            },
          },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    await cluster.waitForRollouts(20000);
    const after = await currentReplicaSet('checkout');
    expect(after.metadata.name).not.toBe(before.metadata.name);
    const [report] = await eventually(async () => {
      const found = await reportsFor(after.metadata.name);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(report.report.artifact.tag).toBe('1.1.0');
    expect(report.report.summary.criticalCount).toBe(0);
    await eventually(async () =>
      expect(await reportsFor(before.metadata.name)).toEqual([]),
    );
  });

  it('labels a ReplicaSet whose name is no label value by its name hash', async () => {
    const name =
      'checkout-nightly-reconciliation-batch-worker-for-legacy-ledgers';
    const body = deploymentBody(name, {
      replicas: 1,
      image: 'nexus-cos/checkout:1.0.0',
    });
    expect(
      (
        await call(
          cluster,
          'POST',
          `/apis/apps/v1/namespaces/${NS}/deployments`,
          body,
        )
      ).status,
    ).toBe(201);
    await cluster.waitForRollouts(20000);
    const rs = await currentReplicaSet(name);
    expect(rs.metadata.name.length).toBeGreaterThan(63);
    const [report] = await eventually(async () => {
      const found = (
        await get(
          `${VULNS}?labelSelector=trivy-operator.resource.name-hash%3D${computeHash(
            rs.metadata.name,
          )}`,
        )
      ).items;
      expect(found).toHaveLength(1);
      return found;
    });
    expect(report.metadata.name).toBe(
      `replicaset-${computeHash(`${rs.metadata.name}-main`)}`,
    );
    expect(
      report.metadata.labels['trivy-operator.resource.name'],
    ).toBeUndefined();
    expect(report.metadata.annotations).toEqual({
      'trivy-operator.resource.name': rs.metadata.name,
    });

    // Reports belong to their ReplicaSet: deleting the Deployment collects them.
    await call(
      cluster,
      'DELETE',
      `/apis/apps/v1/namespaces/${NS}/deployments/${name}`,
    );
    await eventually(async () =>
      expect(
        (
          await get(
            `${VULNS}?labelSelector=trivy-operator.resource.name-hash%3D${computeHash(
              rs.metadata.name,
            )}`,
          )
        ).items,
      ).toEqual([]),
    );
  });

  it('rejects reports without the fields the CRD schema requires', async () => {
    const reply = await call(cluster, 'POST', VULNS, {
      apiVersion: 'aquasecurity.github.io/v1alpha1',
      kind: 'VulnerabilityReport',
      metadata: { name: 'incomplete' },
      report: { scanner: { name: 'Trivy' } },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.details.causes.map((c: any) => c.field)).toEqual([
      'report.artifact',
      'report.os',
      'report.summary',
      'report.updateTimestamp',
      'report.vulnerabilities',
      'report.scanner.vendor',
      'report.scanner.version',
    ]);
  });
});
