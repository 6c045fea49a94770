/**
 * deploy/: the production manifests are valid against the official Kubernetes OpenAPI
 * schemas (kubernetes-models carries them), say what a two-replica portal needs, and
 * apply to a sandbox cluster, where the backend's Deployment comes up with two ready pods.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startSandboxCluster } from '@nexus-cos/sandbox-cluster';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';

jest.setTimeout(60_000);

const DEPLOY = path.resolve(__dirname, '../../../deploy');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  [key: string]: any;
};

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function manifests(): Array<Manifest & { file: string }> {
  return fs
    .readdirSync(DEPLOY)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(file =>
      parseAllDocuments(fs.readFileSync(path.join(DEPLOY, file), 'utf8')).map(
        doc => {
          if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]}`);
          return { ...(doc.toJS() as Manifest), file };
        },
      ),
    );
}

const find = (kind: string, name?: string) =>
  manifests().filter(
    m => m.kind === kind && (name === undefined || m.metadata.name === name),
  );

describe('deploy/ manifests', () => {
  it('are valid against the Kubernetes OpenAPI schemas', () => {
    const all = manifests();
    expect(all.length).toBeGreaterThan(5);
    for (const m of all) {
      const Model = MODELS[`${m.apiVersion}/${m.kind}`];
      const { file, ...data } = m;
      expect({ file, kind: m.kind, known: Boolean(Model) }).toEqual({
        file,
        kind: m.kind,
        known: true,
      });
      expect(() => new Model(data).validate()).not.toThrow();
    }
  });

  it('refuses a manifest that breaks the schema (the check can fail)', () => {
    const [deployment] = find('Deployment', 'backstage');
    const { file, ...data } = deployment;
    const broken = structuredClone(data);
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken).validate()).toThrow(/replicas/);
  });

  it('run two backend replicas on one PostgreSQL, probed on Backstage health, with a PDB', () => {
    const [backstage] = find('Deployment', 'backstage');
    expect(backstage.spec.replicas).toBe(2);
    const pod = backstage.spec.template.spec;
    const [container] = pod.containers;
    expect(container.readinessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.livenessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/liveness',
    );
    expect(container.resources.requests).toEqual(
      expect.objectContaining({
        cpu: expect.any(String),
        memory: expect.any(String),
      }),
    );
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    // Its account, config and secrets are all defined here.
    expect(find('ServiceAccount', pod.serviceAccountName)).toHaveLength(1);
    const sources = container.envFrom.map((from: any) =>
      from.secretRef
        ? ['Secret', from.secretRef.name]
        : ['ConfigMap', from.configMapRef.name],
    );
    expect(
      sources.map(([kind, name]: string[]) => [
        kind,
        name,
        find(kind, name).length,
      ]),
    ).toEqual(sources.map(([kind, name]: string[]) => [kind, name, 1]));
    // Every variable app-config.production.yaml reads is set.
    const production = fs.readFileSync(
      path.resolve(DEPLOY, '../app-config.production.yaml'),
      'utf8',
    );
    const needed = [...production.matchAll(/\$\{(\w+)\}/g)].map(m => m[1]);
    const provided = new Set(
      container.envFrom.flatMap((from: any) => {
        const [source] = from.secretRef
          ? find('Secret', from.secretRef.name)
          : find('ConfigMap', from.configMapRef.name);
        return Object.keys(source.stringData ?? source.data ?? {});
      }),
    );
    expect(needed.filter(v => !provided.has(v))).toEqual([]);
    // PostgreSQL: the host the config names is its Service.
    const [config] = find('ConfigMap', 'backstage-config');
    expect(find('Service', config.data.POSTGRES_HOST)).toHaveLength(1);
    expect(find('StatefulSet', config.data.POSTGRES_HOST)).toHaveLength(1);
    const [pdb] = find('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(backstage.spec.selector.matchLabels).toEqual(
      pdb.spec.selector.matchLabels,
    );
  });

  it('apply to a sandbox cluster, where the backend comes up with two ready pods', async () => {
    const cluster = await startSandboxCluster({ port: 0, seed: false });
    try {
      // Where each kind is created, from the cluster's discovery.
      const served = new Map<string, { name: string; namespaced: boolean }>();
      for (const group of ['/api/v1', '/apis/apps/v1', '/apis/policy/v1']) {
        const res = await fetch(`${cluster.url}${group}`);
        if (!res.ok) continue;
        const list = (await res.json()) as {
          groupVersion: string;
          resources: Array<{ name: string; kind: string; namespaced: boolean }>;
        };
        for (const r of list.resources.filter(x => !x.name.includes('/'))) {
          served.set(`${list.groupVersion}/${r.kind}`, r);
        }
      }
      const unserved: string[] = [];
      // Namespaces first, as kubectl apply does.
      const ordered = manifests().sort(
        (a, b) =>
          Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'),
      );
      for (const { file, ...m } of ordered) {
        const resource = served.get(`${m.apiVersion}/${m.kind}`);
        if (!resource) {
          unserved.push(m.kind);
          continue;
        }
        const base = m.apiVersion.includes('/')
          ? `/apis/${m.apiVersion}`
          : `/api/${m.apiVersion}`;
        const url = resource.namespaced
          ? `${cluster.url}${base}/namespaces/${m.metadata.namespace}/${resource.name}`
          : `${cluster.url}${base}/${resource.name}`;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(m),
        });
        expect({ file, kind: m.kind, status: res.status }).toEqual({
          file,
          kind: m.kind,
          status: 201,
        });
      }
      // The sandbox emulates no policy/v1: the PDB is checked by its schema alone.
      expect(unserved).toEqual(['PodDisruptionBudget']);
      await cluster.waitForRollouts();
      const res = await fetch(
        `${cluster.url}/apis/apps/v1/namespaces/nexus-portal/deployments/backstage`,
      );
      const deployment = await res.json();
      expect(deployment.status.readyReplicas).toBe(2);
    } finally {
      await cluster.stop();
    }
  });
});
