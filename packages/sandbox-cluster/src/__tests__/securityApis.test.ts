import { SandboxCluster } from '../startSandboxCluster';
import { call, eventually, startTestCluster } from './testCluster';

/**
 * The kinds security operations read: RBAC, ServiceAccounts, NetworkPolicies and the
 * cert-manager and trivy-operator custom resources, stored with the apiserver's
 * defaulting, validation and discovery, on an empty cluster.
 */
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };

describe('security APIs', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ seed: false });
  });
  afterAll(() => cluster.stop());

  it('discovers RBAC, cert-manager and trivy-operator resources with their names', async () => {
    const resources = async (gv: string) =>
      Object.fromEntries(
        (await call(cluster, 'GET', gv)).body.resources.map((r: any) => [
          r.name,
          r,
        ]),
      );
    const rbac = await resources(RBAC);
    expect(Object.keys(rbac).sort()).toEqual([
      'clusterrolebindings',
      'clusterroles',
      'rolebindings',
      'roles',
    ]);
    expect(rbac.clusterroles.namespaced).toBe(false);
    expect(rbac.roles).toMatchObject({ kind: 'Role', namespaced: true });
    const cm = await resources('/apis/cert-manager.io/v1');
    expect(cm.certificates).toMatchObject({
      kind: 'Certificate',
      shortNames: ['cert', 'certs'],
      categories: ['cert-manager'],
    });
    expect(cm['certificates/status']).toBeDefined();
    expect(cm.clusterissuers.namespaced).toBe(false);
    const trivy = await resources('/apis/aquasecurity.github.io/v1alpha1');
    expect(trivy.vulnerabilityreports).toMatchObject({
      kind: 'VulnerabilityReport',
      shortNames: ['vuln', 'vulns'],
    });
    expect(trivy.configauditreports.kind).toBe('ConfigAuditReport');
    const core = await resources('/api/v1');
    expect(core.serviceaccounts.shortNames).toEqual(['sa']);
    const net = await resources('/apis/networking.k8s.io/v1');
    expect(net.networkpolicies.shortNames).toEqual(['netpol']);
  });

  it('gives every namespace a default ServiceAccount, and gives it back when deleted', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces', {
      metadata: { name: 'team-a' },
    });
    const path = '/api/v1/namespaces/team-a/serviceaccounts/default';
    await eventually(async () =>
      expect((await call(cluster, 'GET', path)).status).toBe(200),
    );
    const before = (await call(cluster, 'GET', path)).body.metadata.uid;
    expect((await call(cluster, 'DELETE', path)).status).toBe(200);
    await eventually(async () =>
      expect((await call(cluster, 'GET', path)).body.metadata?.uid).toEqual(
        expect.not.stringMatching(before),
      ),
    );
  });

  it('stores Roles and bindings, defaults subject apiGroups, and validates like the apiserver', async () => {
    const role = await call(
      cluster,
      'POST',
      `${RBAC}/namespaces/default/roles`,
      {
        metadata: { name: 'reader' },
        rules: [
          { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
        ],
      },
    );
    expect(role.status).toBe(201);
    expect(role.body).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
    });
    expect(role.body.metadata.generation).toBeUndefined();

    const binding = await call(
      cluster,
      'POST',
      `${RBAC}/namespaces/default/rolebindings`,
      {
        metadata: { name: 'reader' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'reader',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'app' },
          { kind: 'User', name: 'alice' },
        ],
      },
    );
    expect(binding.status).toBe(201);
    expect(binding.body.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'app' },
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    ]);

    const changed = { ...binding.body, roleRef: { ...binding.body.roleRef } };
    changed.roleRef.name = 'other';
    const immutable = await call(
      cluster,
      'PUT',
      `${RBAC}/namespaces/default/rolebindings/reader`,
      changed,
    );
    expect(immutable.status).toBe(422);
    expect(immutable.body.message).toContain('roleRef: Invalid value');

    const bad = await call(cluster, 'POST', `${RBAC}/clusterrolebindings`, {
      metadata: { name: 'bad' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'x',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'default' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes.map((c: any) => c.field)).toEqual([
      'roleRef.kind',
      'subjects[0].namespace',
    ]);
    const noVerbs = await call(cluster, 'POST', `${RBAC}/clusterroles`, {
      metadata: { name: 'empty' },
      rules: [{ apiGroups: [''], resources: ['pods'] }],
    });
    expect(noVerbs.status).toBe(422);
    expect(noVerbs.body.message).toContain(
      'rules[0].verbs: Required value: verbs must contain at least one value',
    );

    const table = await call(
      cluster,
      'GET',
      `${RBAC}/namespaces/default/rolebindings`,
      undefined,
      TABLE,
    );
    expect(table.body.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Role',
      'Age',
      'Users',
      'Groups',
      'ServiceAccounts',
    ]);
    expect(table.body.rows[0].cells.slice(0, 2)).toEqual([
      'reader',
      'Role/reader',
    ]);
    expect(table.body.rows[0].cells.slice(3)).toEqual(['alice', '', 'app']);
  });

  it('defaults NetworkPolicies and shows their pod selector', async () => {
    const created = await call(
      cluster,
      'POST',
      '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies',
      {
        metadata: { name: 'web' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          egress: [{ to: [{ podSelector: {} }] }],
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(created.body.metadata.generation).toBe(1);
    const table = await call(
      cluster,
      'GET',
      '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies',
      undefined,
      TABLE,
    );
    expect(table.body.rows[0].cells.slice(0, 2)).toEqual(['web', 'app=web']);
  });

  it('treats cert-manager and trivy-operator kinds as custom resources', async () => {
    const path = '/apis/cert-manager.io/v1/namespaces/default/issuers';
    const created = await call(cluster, 'POST', path, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'local' },
      spec: { selfSigned: {} },
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    const strategic = await call(
      cluster,
      'PATCH',
      `${path}/local`,
      { metadata: { labels: { a: 'b' } } },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    expect(strategic.status).toBe(415);
    const merge = await call(
      cluster,
      'PATCH',
      `${path}/local`,
      { metadata: { labels: { a: 'b' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(merge.body.metadata.labels).toEqual({ a: 'b' });
    const twoKinds = await call(cluster, 'POST', path, {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Issuer',
      metadata: { name: 'both' },
      spec: { selfSigned: {}, ca: { secretName: 'x' } },
    });
    expect(twoKinds.status).toBe(422);
    expect(twoKinds.body.message).toContain(
      'spec.selfSigned: Forbidden: may not specify more than one issuer type',
    );
  });

  it('requires the key pair in kubernetes.io/tls Secrets', async () => {
    const reply = await call(
      cluster,
      'POST',
      '/api/v1/namespaces/default/secrets',
      {
        metadata: { name: 'half' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '' },
      },
    );
    expect(reply.status).toBe(422);
    expect(reply.body.details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'data[tls.key]',
      },
    ]);
  });
});
