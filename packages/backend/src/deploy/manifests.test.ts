import { execFile } from 'node:child_process';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  SandboxCluster,
  startSandboxCluster,
  testClock,
} from '@nexus-cos/sandbox-cluster';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as policy from 'kubernetes-models/policy/v1';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

// The production manifests under deploy/: valid against the official Kubernetes schemas,
// consistent with app-config.production.yaml, and accepted by kubectl apply.

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../../../..');
const DEPLOY = join(ROOT, 'deploy');
const NS = 'nexus-portal';

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: any;
};

const manifests: Array<Manifest & { file: string }> = readdirSync(DEPLOY)
  .filter(f => f.endsWith('.yaml'))
  .flatMap(file =>
    parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8')).map(d => ({
      ...(d.toJS() as Manifest),
      file,
    })),
  );
const find = (kind: string, name: string) => {
  const found = manifests.find(
    m => m.kind === kind && m.metadata.name === name,
  );
  if (!found) throw new Error(`deploy/ has no ${kind} ${name}`);
  return found;
};

/** kubernetes-models' class for each API group deploy/ uses. */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'policy/v1': policy,
};
async function validate({ file: _file, ...m }: Manifest & { file: string }) {
  const Model = MODELS[m.apiVersion]?.[m.kind] as
    | (new (data: unknown) => { validate(): void })
    | undefined;
  if (!Model) throw new Error(`no schema for ${m.apiVersion} ${m.kind}`);
  new Model(m).validate();
}

describe('deploy/', () => {
  it('holds the objects a two-replica production needs', () => {
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      [
        'ConfigMap/backstage-config',
        'Deployment/backstage',
        'Namespace/nexus-portal',
        'PodDisruptionBudget/backstage',
        'Secret/backstage-secrets',
        'Secret/postgres-secrets',
        'Service/backstage',
        'Service/postgres',
        'ServiceAccount/backstage',
        'StatefulSet/postgres',
      ].sort(),
    );
    for (const m of manifests.filter(x => x.kind !== 'Namespace')) {
      expect(`${m.file}: ${m.metadata.namespace}`).toBe(`${m.file}: ${NS}`);
    }
  });

  it('validates every object against the official Kubernetes schemas', async () => {
    const invalid: string[] = [];
    for (const m of manifests) {
      await validate(m).catch((e: Error) =>
        invalid.push(`${m.file} ${m.kind}/${m.metadata.name}: ${e.message}`),
      );
    }
    expect(invalid).toEqual([]);
  });

  it('the schemas catch a wrong field, so the check above can fail', async () => {
    const broken = structuredClone(find('Deployment', 'backstage'));
    broken.spec.replicas = 'two';
    await expect(validate(broken)).rejects.toThrow(/replicas must be integer/);
    const probe = structuredClone(find('Deployment', 'backstage'));
    probe.spec.template.spec.containers[0].readinessProbe.httpGet.port = {
      name: 'http',
    };
    await expect(validate(probe)).rejects.toThrow(/readinessProbe/);
  });

  it('runs two replicas with probes on the health endpoints, resources and a disruption budget', () => {
    const deployment = find('Deployment', 'backstage');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.serviceAccountName).toBe(
      find('ServiceAccount', 'backstage').metadata.name,
    );
    expect(container.livenessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/liveness',
    );
    expect(container.readinessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    expect(container.args).toEqual([
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
    const pdb = find('PodDisruptionBudget', 'backstage');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(
      deployment.spec.selector.matchLabels,
    );
    expect(deployment.spec.template.metadata.labels).toMatchObject(
      pdb.spec.selector.matchLabels,
    );
  });

  it('gives the backend every variable app-config.production.yaml reads, secrets from Secrets', () => {
    const config = readFileSync(
      join(ROOT, 'app-config.production.yaml'),
      'utf8',
    );
    const wanted = [...config.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map(m => m[1]);
    const [container] = find('Deployment', 'backstage').spec.template.spec
      .containers;
    const provided = new Map<string, string>();
    for (const from of container.envFrom) {
      const source = from.configMapRef
        ? find('ConfigMap', from.configMapRef.name)
        : find('Secret', from.secretRef.name);
      const keys = Object.keys(source.data ?? source.stringData);
      for (const key of keys) provided.set(key, source.kind);
    }
    expect(wanted.filter(v => !provided.has(v))).toEqual([]);
    for (const secret of ['POSTGRES_PASSWORD', 'K8S_SERVICE_ACCOUNT_TOKEN']) {
      expect(`${secret}: ${provided.get(secret)}`).toBe(`${secret}: Secret`);
    }
  });

  describe('applied with kubectl', () => {
    let cluster: SandboxCluster;
    let dir: string;
    // Asynchronous: the sandbox answers kubectl from this same process.
    const kubectl = async (...args: string[]) =>
      (
        await promisify(execFile)('/usr/bin/kubectl', args, {
          env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
        })
      ).stdout;

    beforeAll(async () => {
      cluster = await startSandboxCluster({
        port: 0,
        seed: false,
        traffic: { startAt: testClock() },
      });
      dir = mkdtempSync(join(tmpdir(), 'deploy-'));
      writeFileSync(join(dir, 'kubeconfig'), cluster.kubeconfig());
    });
    afterAll(async () => {
      await cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('creates every object, and the Deployment rolls out two ready pods', async () => {
      // One apply: 00-namespace.yaml sorts first, so the namespace exists in time.
      const applied = await kubectl('apply', '-f', DEPLOY);
      for (const m of manifests) {
        expect(applied).toContain(`/${m.metadata.name} created`);
      }
      await kubectl(
        '-n',
        NS,
        'rollout',
        'status',
        'deployment/backstage',
        '--timeout=60s',
      );
      const deployment = JSON.parse(
        await kubectl('-n', NS, 'get', 'deployment', 'backstage', '-o', 'json'),
      );
      expect(deployment.status.readyReplicas).toBe(2);
      const pdb = JSON.parse(
        await kubectl('-n', NS, 'get', 'pdb', 'backstage', '-o', 'json'),
      );
      expect(pdb.spec.minAvailable).toBe(1);
    });
  });
});
