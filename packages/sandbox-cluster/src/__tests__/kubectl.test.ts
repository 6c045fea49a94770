import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateKey, signCertificate } from '../certmanager/x509';
import { SandboxCluster, startSandboxCluster } from '../startSandboxCluster';
import { kubectlFor } from './kubectlRunner';
import { eventually, setLoadInReplicas, startTestCluster } from './testCluster';

/**
 * Drives the real kubectl (v1.32) through every command the operations runbook uses on
 * deployments, pods, services, configmaps and secrets.
 */
const NS = 'nexus-shop';

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('kubectl against the sandbox', () => {
  let cluster: SandboxCluster;
  let dir: string;
  let kubectl: ReturnType<typeof kubectlFor>['kubectl'];
  let cleanup: () => void;

  /** Runs kubectl in the test namespace and fails the test on a non-zero exit. */
  async function ok(...args: string[]) {
    const run = await kubectl(['-n', NS, ...args]);
    if (run.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${run.code}: ${run.stderr}`,
      );
    return run.stdout;
  }

  const json = async (...args: string[]) =>
    JSON.parse(await ok(...args, '-o', 'json'));

  const readyPods = async (app: string, extra: string[] = []) =>
    (await json('get', 'pods', '-l', `app=${app}`, ...extra)).items.filter(
      (p: any) =>
        !p.metadata.deletionTimestamp &&
        p.status.containerStatuses?.every((s: any) => s.ready),
    );

  beforeAll(async () => {
    cluster = await startTestCluster();
    ({ kubectl, cleanup, dir } = kubectlFor(cluster));
    await cluster.waitForRollouts(20000);
  });
  afterAll(async () => {
    await cluster.stop();
    cleanup();
  });

  it('gets deployments and pods as tables', async () => {
    const deployments = await ok('get', 'deployments');
    expect(deployments.split('\n')[0].split(/\s+/)).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
    expect(deployments).toMatch(/^checkout\s+3\/3\s+3\s+3\s+\d+s$/m);
    const pods = await ok('get', 'pods');
    expect(pods.split('\n')[0].split(/\s+/)).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(pods).toMatch(/^checkout-\w+-\w{5}\s+1\/1\s+Running\s+0\s+\d+s$/m);
    const everywhere = (await kubectl(['get', 'deployments', '-A'])).stdout;
    expect(everywhere).toMatch(/^nexus-shop-staging\s+cart\s+1\/1/m);
  });

  it('describes a deployment and a pod with their events', async () => {
    const deployment = await ok('describe', 'deployment/checkout');
    expect(deployment).toMatch(
      /Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/,
    );
    expect(deployment).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(deployment).toMatch(
      /NewReplicaSet:\s+checkout-\w+ \(3\/3 replicas created\)/,
    );
    expect(deployment).toMatch(
      /ScalingReplicaSet .*Scaled up replica set checkout-\w+ from 0 to 3/,
    );
    const [pod] = (await json('get', 'pods', '-l', 'app=checkout')).items;
    const described = await ok('describe', 'pod', pod.metadata.name);
    expect(described).toMatch(/Status:\s+Running/);
    expect(described).toContain(
      `Successfully assigned ${NS}/${pod.metadata.name} to sandbox-node-`,
    );
  });

  it('scales up, down and to zero', async () => {
    await ok('scale', 'deployment/cart', '--replicas=5');
    await eventually(async () =>
      expect(await readyPods('cart')).toHaveLength(5),
    );
    await ok('scale', 'deployment/cart', '--replicas=2');
    await eventually(async () =>
      expect((await json('get', 'pods', '-l', 'app=cart')).items).toHaveLength(
        2,
      ),
    );
    await ok('scale', 'deployment/cart', '--replicas=0');
    await eventually(async () =>
      expect((await json('get', 'pods', '-l', 'app=cart')).items).toHaveLength(
        0,
      ),
    );
    expect(await ok('get', 'deployment', 'cart')).toMatch(
      /^cart\s+0\/0\s+0\s+0/m,
    );
    await ok('scale', 'deployment/cart', '--replicas=2');
    await eventually(async () =>
      expect(await readyPods('cart')).toHaveLength(2),
    );
  });

  it('restarts a deployment with a rollout and waits for it with rollout status', async () => {
    const before = (await json('get', 'pods', '-l', 'app=checkout')).items.map(
      (p: any) => p.metadata.name,
    );
    await ok('rollout', 'restart', 'deployment/checkout');
    const status = await ok(
      'rollout',
      'status',
      'deployment/checkout',
      '--timeout=30s',
    );
    expect(status).toContain('deployment "checkout" successfully rolled out');
    const d = await json('get', 'deployment', 'checkout');
    expect(
      d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
    ).toEqual(expect.any(String));
    const after = (await readyPods('checkout')).map(
      (p: any) => p.metadata.name,
    );
    expect(after).toHaveLength(3);
    expect(after.filter((n: string) => before.includes(n))).toEqual([]);
  });

  it('sets an image keeping ports, resources and env, then undoes it', async () => {
    // search has no namespace annotation, so it lives in `default`; a later -n wins.
    const inDefault = ['-n', 'default'];
    await ok(
      'set',
      'image',
      'deployment/search',
      'search=nexus-cos/search:2.0.0',
      ...inDefault,
    );
    await ok(
      'rollout',
      'status',
      'deployment/search',
      '--timeout=30s',
      ...inDefault,
    );
    const [container] = (
      await json('get', 'deployment', 'search', ...inDefault)
    ).spec.template.spec.containers;
    expect(container).toMatchObject({
      image: 'nexus-cos/search:2.0.0',
      ports: [{ containerPort: 8080 }],
      resources: {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
    });
    expect(container.env).toContainEqual({
      name: 'SERVICE_NAME',
      value: 'search',
    });

    await ok('rollout', 'undo', 'deployment/search', ...inDefault);
    await ok(
      'rollout',
      'status',
      'deployment/search',
      '--timeout=30s',
      ...inDefault,
    );
    const undone = await json('get', 'deployment', 'search', ...inDefault);
    expect(undone.spec.template.spec.containers[0].image).toBe(
      'nexus-cos/search:1.0.0',
    );
    expect(
      undone.metadata.annotations['deployment.kubernetes.io/revision'],
    ).toBe('3');
    expect(
      (await json('get', 'replicasets', '-l', 'app=search', ...inDefault))
        .items,
    ).toHaveLength(2);
    expect(
      (await readyPods('search', inDefault)).map(
        (p: any) => p.spec.containers[0].image,
      ),
    ).toEqual(['nexus-cos/search:1.0.0', 'nexus-cos/search:1.0.0']);
  });

  it('fails rollout status when the rollout passes its progress deadline', async () => {
    await ok(
      'patch',
      'deployment',
      'cart',
      '-p',
      '{"spec":{"progressDeadlineSeconds":2}}',
    );
    await ok('set', 'image', 'deployment/cart', 'cart=nexus-cos/cart:broken');
    const run = await kubectl([
      '-n',
      NS,
      'rollout',
      'status',
      'deployment/cart',
      '--timeout=20s',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'deployment "cart" exceeded its progress deadline',
    );
    const stuck = (await json('get', 'pods', '-l', 'app=cart')).items.filter(
      (p: any) => p.spec.containers[0].image.endsWith(':broken'),
    );
    expect(stuck[0].status.containerStatuses[0].state.waiting.reason).toBe(
      'ImagePullBackOff',
    );
    expect(await ok('get', 'pods', '-l', 'app=cart')).toContain(
      'ImagePullBackOff',
    );
    expect(await ok('describe', 'pod', stuck[0].metadata.name)).toMatch(
      /BackOff .*Back-off pulling image "nexus-cos\/cart:broken"/,
    );
    await ok('rollout', 'undo', 'deployment/cart');
    await ok('rollout', 'status', 'deployment/cart', '--timeout=30s');
  });

  it('sets resources', async () => {
    await ok(
      'set',
      'resources',
      'deployment/checkout',
      '--limits=cpu=2000m,memory=4Gi',
      '--requests=cpu=1000m,memory=2Gi',
    );
    const [container] = (await json('get', 'deployment', 'checkout')).spec
      .template.spec.containers;
    expect(container.resources).toEqual({
      limits: { cpu: '2', memory: '4Gi' },
      requests: { cpu: '1', memory: '2Gi' },
    });
    expect(container.ports).toEqual([
      expect.objectContaining({ containerPort: 8080 }),
    ]);
    await ok('rollout', 'status', 'deployment/checkout', '--timeout=30s');
  });

  it('patches a service selector for the blue-green switch', async () => {
    await ok(
      'patch',
      'service',
      'checkout',
      '-p',
      '{"spec":{"selector":{"version":"green"}}}',
    );
    const svc = await json('get', 'service', 'checkout');
    expect(svc.spec.selector).toEqual({ app: 'checkout', version: 'green' });
    expect(svc.spec.ports).toEqual([
      expect.objectContaining({ port: 80, targetPort: 8080 }),
    ]);
  });

  it('applies a manifest, applies it again changed, and deletes it', async () => {
    const manifest = (replicas: number, tier: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout-green
  namespace: ${NS}
  labels: {app: checkout, version: green, backstage.io/kubernetes-id: checkout, tier: ${tier}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: checkout, version: green}
  template:
    metadata:
      labels: {app: checkout, version: green, backstage.io/kubernetes-id: checkout}
    spec:
      containers:
      - name: checkout
        image: nexus-cos/checkout:1.1.0
        ports: [{containerPort: 8080}]
`;
    const file = join(dir, 'deployment-green.yaml');
    writeFileSync(file, manifest(2, 'a'));
    expect(await ok('apply', '-f', file)).toContain(
      'deployment.apps/checkout-green created',
    );
    writeFileSync(file, manifest(3, 'b'));
    expect(await ok('apply', '-f', file)).toContain(
      'deployment.apps/checkout-green configured',
    );
    const d = await json('get', 'deployment', 'checkout-green');
    expect(d.spec.replicas).toBe(3);
    expect(d.metadata.labels.tier).toBe('b');
    expect(
      JSON.parse(
        d.metadata.annotations[
          'kubectl.kubernetes.io/last-applied-configuration'
        ],
      ).spec.replicas,
    ).toBe(3);
    await eventually(async () =>
      expect(
        await readyPods('checkout').then(ps =>
          ps.filter((p: any) => p.metadata.labels.version === 'green'),
        ),
      ).toHaveLength(3),
    );

    expect(await ok('delete', '-f', file)).toContain(
      'deployment.apps "checkout-green" deleted',
    );
    expect(
      (await kubectl(['-n', NS, 'get', 'deployment', 'checkout-green'])).stderr,
    ).toContain('NotFound');
    await eventually(async () =>
      expect(
        (
          await json('get', 'pods', '-l', 'version=green')
        ).items,
      ).toHaveLength(0),
    );
  });

  it('applies server-side too', async () => {
    const file = join(dir, 'settings.yaml');
    const manifest = (level: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${NS}}
data: {LOG_LEVEL: ${level}}
`;
    writeFileSync(file, manifest('debug'));
    expect(await ok('apply', '--server-side', '-f', file)).toContain(
      'configmap/settings serverside-applied',
    );
    writeFileSync(file, manifest('warn'));
    await ok('apply', '--server-side', '-f', file);
    expect((await json('get', 'configmap', 'settings')).data).toEqual({
      LOG_LEVEL: 'warn',
    });
    await ok('delete', '-f', file);
  });

  it('updates a secret through create --dry-run=client piped into apply', async () => {
    const generated = await ok(
      'create',
      'secret',
      'generic',
      'checkout-secrets',
      '--from-literal=DATABASE_PASSWORD=rotated',
      '--dry-run=client',
      '-o',
      'yaml',
    );
    const run = await kubectl(['-n', NS, 'apply', '-f', '-'], generated);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('secret/checkout-secrets configured');
    const secret = await json('get', 'secret', 'checkout-secrets');
    expect(
      Buffer.from(secret.data.DATABASE_PASSWORD, 'base64').toString(),
    ).toBe('rotated');
  });

  it('creates namespaces, secrets, configmaps, service accounts and RBAC objects, which it sends as protobuf', async () => {
    const created = 'kubectl-created';
    const inNs = (...args: string[]) => ['-n', created, ...args];
    const run = async (...args: string[]) => {
      const result = await kubectl(args);
      if (result.code !== 0)
        throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
      return result.stdout.trim();
    };
    const key = await generateKey({
      algorithm: 'ECDSA',
      size: 256,
      encoding: 'PKCS1',
    });
    const now = Date.now();
    writeFileSync(join(dir, 'tls.key'), key.pem);
    writeFileSync(
      join(dir, 'tls.crt'),
      await signCertificate(
        {
          dnsNames: ['created.example.com'],
          notBefore: new Date(now),
          notAfter: new Date(now + 86_400_000),
        },
        key,
      ),
    );

    expect(await run('create', 'namespace', created)).toBe(
      `namespace/${created} created`,
    );
    expect(
      await run(
        ...inNs(
          'create',
          'secret',
          'generic',
          'db',
          '--from-literal=password=s3cret',
          '--from-literal=empty=',
        ),
      ),
    ).toBe('secret/db created');
    expect(
      await run(
        ...inNs(
          'create',
          'secret',
          'tls',
          'web-tls',
          `--cert=${join(dir, 'tls.crt')}`,
          `--key=${join(dir, 'tls.key')}`,
        ),
      ),
    ).toBe('secret/web-tls created');
    expect(
      await run(
        ...inNs(
          'create',
          'configmap',
          'settings',
          '--from-literal=LOG_LEVEL=debug',
        ),
      ),
    ).toBe('configmap/settings created');
    expect(await run(...inNs('create', 'serviceaccount', 'robot'))).toBe(
      'serviceaccount/robot created',
    );
    expect(
      await run(
        ...inNs(
          'create',
          'role',
          'secret-reader',
          '--verb=get,list',
          '--resource=secrets',
        ),
      ),
    ).toBe('role.rbac.authorization.k8s.io/secret-reader created');
    expect(
      await run(
        ...inNs(
          'create',
          'rolebinding',
          'robot-reads-secrets',
          '--role=secret-reader',
          `--serviceaccount=${created}:robot`,
          '--user=alice',
        ),
      ),
    ).toBe('rolebinding.rbac.authorization.k8s.io/robot-reads-secrets created');
    expect(
      await run(
        'create',
        'clusterrole',
        'namespace-viewer',
        '--verb=get',
        '--resource=namespaces',
        `--resource-name=${created}`,
      ),
    ).toBe('clusterrole.rbac.authorization.k8s.io/namespace-viewer created');
    expect(
      await run(
        'create',
        'clusterrolebinding',
        'robot-views-namespace',
        '--clusterrole=namespace-viewer',
        `--serviceaccount=${created}:robot`,
      ),
    ).toBe(
      'clusterrolebinding.rbac.authorization.k8s.io/robot-views-namespace created',
    );

    const verbose = await kubectl([
      ...inNs(
        'create',
        'configmap',
        'probe',
        '--from-literal=a=b',
        '--dry-run=server',
        '-v=8',
      ),
    ]);
    expect(verbose.stderr).toContain(
      'Content-Type: application/vnd.kubernetes.protobuf',
    );

    const get = async (...args: string[]) =>
      JSON.parse(await run(...args, '-o', 'json'));
    const db = await get(...inNs('get', 'secret', 'db'));
    expect(db.type).toBe('Opaque');
    expect(db.data).toEqual({
      password: Buffer.from('s3cret').toString('base64'),
      empty: '',
    });
    const tls = await get(...inNs('get', 'secret', 'web-tls'));
    expect(tls.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(tls.data['tls.key'], 'base64').toString()).toBe(key.pem);
    expect((await get(...inNs('get', 'configmap', 'settings'))).data).toEqual({
      LOG_LEVEL: 'debug',
    });
    expect(
      (await get(...inNs('get', 'serviceaccounts'))).items
        .map((a: any) => a.metadata.name)
        .sort(),
    ).toEqual(['default', 'robot']);
    expect((await get(...inNs('get', 'role', 'secret-reader'))).rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    ]);
    const binding = await get(
      ...inNs('get', 'rolebinding', 'robot-reads-secrets'),
    );
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'secret-reader',
    });
    expect(binding.subjects).toEqual(
      expect.arrayContaining([
        { kind: 'ServiceAccount', name: 'robot', namespace: created },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      ]),
    );
    expect(await run(...inNs('get', 'rolebindings', '-o', 'wide'))).toMatch(
      new RegExp(
        `^robot-reads-secrets\\s+Role/secret-reader\\s+\\d+s\\s+alice\\s+${created}/robot$`,
        'm',
      ),
    );
    expect(
      (await get('get', 'clusterrolebinding', 'robot-views-namespace')).roleRef
        .name,
    ).toBe('namespace-viewer');
  });

  it('exports configmaps and secrets as YAML for backups', async () => {
    const configmaps = parse(await ok('get', 'configmaps', '-o', 'yaml'));
    expect(configmaps.kind).toBe('List');
    expect(configmaps.items.map((c: any) => c.metadata.name).sort()).toEqual([
      'cart-config',
      'checkout-config',
    ]);
    const secrets = parse(await ok('get', 'secrets', '-o', 'yaml'));
    expect(
      secrets.items.find((s: any) => s.metadata.name === 'cart-secrets').data
        .API_KEY,
    ).toEqual(expect.any(String));
  });

  it('reads logs by pod, by deployment and by label', async () => {
    const [pod] = await readyPods('checkout');
    expect(await ok('logs', pod.metadata.name)).toContain(
      `INFO starting checkout image=nexus-cos/checkout:1.0.0 pod=${pod.metadata.name}`,
    );
    expect(await ok('logs', 'deployment/checkout')).toContain(
      'INFO listening on :8080',
    );
    // One line per pod; pods behind their Service (checkout's now selects green, see
    // above, so cart) log a sample of the requests they serve every traffic tick.
    await eventually(async () => {
      const tail = (await ok('logs', '-l', 'app=cart', '--tail=1'))
        .trim()
        .split('\n');
      expect(tail).toHaveLength(2);
      for (const line of tail)
        expect(line).toMatch(
          / INFO (GET|POST|PUT) \/api\/v1\/\S+ 200 \d+ms rps=/,
        );
    });
  });

  it('shows pod usage with top', async () => {
    const top = () => ok('top', 'pods', '-l', 'app=search', '-n', 'default');
    expect((await top()).split('\n')[0].split(/\s+/).filter(Boolean)).toEqual([
      'NAME',
      'CPU(cores)',
      'MEMORY(bytes)',
    ]);
    const cpu = (out: string) =>
      [...out.matchAll(/^search-\S+\s+(\d+)m\s+(\d+)Mi/gm)].map(m => ({
        cpu: Number(m[1]),
        memoryMi: Number(m[2]),
      }));
    const total = (pods: ReturnType<typeof cpu>) =>
      pods.reduce((t, p) => t + p.cpu, 0);
    // Half a replica's worth of load: each of the two pods at a quarter of its 500m
    // limit, whatever the hour; wait until top shows it (below 35% of 2 × 500m).
    setLoadInReplicas(cluster, 'default', 'search', 0.5);
    const before = await eventually(async () => {
      const pods = cpu(await top());
      expect(pods).toHaveLength(2);
      expect(total(pods)).toBeLessThan(350);
      return pods;
    });
    for (const pod of before) {
      // The traffic model's usage: above idle, within the 500m / 512Mi limits.
      expect(pod.cpu).toBeGreaterThan(10);
      expect(pod.cpu).toBeLessThanOrEqual(500);
      expect(pod.memoryMi).toBeGreaterThan(100);
      expect(pod.memoryMi).toBeLessThanOrEqual(512);
    }
    // Three times the load, more CPU: top follows the model.
    setLoadInReplicas(cluster, 'default', 'search', 1.5);
    try {
      await eventually(async () => {
        const after = cpu(await top());
        expect(total(after)).toBeGreaterThan(total(before) * 1.8);
      });
    } finally {
      cluster.traffic.setLoadFactor('search', 1, 'default');
    }
  });

  it('replaces a deleted pod from its ReplicaSet', async () => {
    const [victim] = await readyPods('checkout');
    await ok('delete', 'pod', victim.metadata.name);
    const after = await eventually(async () => {
      const pods = await readyPods('checkout');
      expect(pods).toHaveLength(3);
      return pods;
    });
    expect(after.map((p: any) => p.metadata.name)).not.toContain(
      victim.metadata.name,
    );
  });

  it('deletes a deployment gracefully: pods terminate, then disappear', async () => {
    const terminating = new Set<string>();
    const stop = cluster.store.subscribe(e => {
      if (
        e.resource === '/pods' &&
        e.object.metadata.labels?.app === 'cart' &&
        e.object.metadata.deletionTimestamp
      ) {
        terminating.add(e.object.metadata.name);
      }
    });
    const pods = (await json('get', 'pods', '-l', 'app=cart')).items.map(
      (p: any) => p.metadata.name,
    );
    expect(
      await ok('delete', 'deployment/cart', '--grace-period=60'),
    ).toContain('deployment.apps "cart" deleted');
    expect(
      (await kubectl(['-n', NS, 'get', 'deployment', 'cart'])).stderr,
    ).toContain('NotFound');
    await eventually(async () =>
      expect((await json('get', 'pods', '-l', 'app=cart')).items).toHaveLength(
        0,
      ),
    );
    stop();
    expect([...terminating].sort()).toEqual([...pods].sort());
    expect(
      (await json('get', 'replicasets', '-l', 'app=cart')).items,
    ).toHaveLength(0);
  });
});

describe("kubectl reading the repo catalog's security seeds", () => {
  let cluster: SandboxCluster;
  let ok: ReturnType<typeof kubectlFor>['ok'];
  let cleanup: () => void;
  /** kubectl's table as rows of whitespace-separated cells, header first. */
  const table = async (...args: string[]) =>
    (await ok(args))
      .trim()
      .split('\n')
      .map(line => line.trim().split(/\s{2,}/));

  beforeAll(async () => {
    cluster = await startSandboxCluster({ port: 0 });
    ({ ok, cleanup } = kubectlFor(cluster));
  });
  afterAll(async () => {
    await cluster.stop();
    cleanup();
  });

  it('gets certificates and issuers with cert-manager’s columns', async () => {
    const certs = await table('get', 'certificates', '-A');
    expect(certs[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'SECRET', 'AGE']);
    expect(certs).toContainEqual([
      'nexus-payments',
      'payment-gateway',
      'True',
      'payment-gateway-tls',
      expect.stringMatching(/^\d+s$/),
    ]);
    const wide = await table(
      'get',
      'cert',
      '-n',
      'nexus-payments',
      '-o',
      'wide',
    );
    expect(wide[0]).toEqual([
      'NAME',
      'READY',
      'SECRET',
      'ISSUER',
      'STATUS',
      'EXPIRATION',
      'AGE',
    ]);
    expect(wide[1].slice(0, 5)).toEqual([
      'payment-gateway',
      'True',
      'payment-gateway-tls',
      'nexus-cos-ca',
      'Certificate is up to date and has not expired',
    ]);
    // The cert-manager category: certificates, issuers and clusterissuers at once.
    const all = await ok(['get', 'cert-manager', '-A']);
    expect(all).toContain('clusterissuer.cert-manager.io/nexus-cos-ca');
    expect(all).toContain('issuer.cert-manager.io/nexus-identity-selfsigned');
    expect(all).toContain('certificate.cert-manager.io/stream-gateway');
  });

  it('gets rolebindings with their subjects', async () => {
    const rows = await table('get', 'rolebindings', '-A', '-o', 'wide');
    expect(rows[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'ROLE',
      'AGE',
      'USERS',
      'GROUPS',
      'SERVICEACCOUNTS',
    ]);
    expect(rows).toContainEqual([
      'nexus-identity',
      'legacy-deployer-edit',
      'ClusterRole/edit',
      expect.stringMatching(/^\d+s$/),
      'nexus-identity/legacy-deployer',
    ]);
    expect(await ok(['get', 'clusterrolebindings'])).toMatch(
      /^nexus-platform-default-cluster-admin\s+ClusterRole\/cluster-admin\s+\d+s$/m,
    );
  });

  it('gets networkpolicies with their pod selectors', async () => {
    expect(
      await table('get', 'networkpolicies', '-n', 'nexus-payments'),
    ).toEqual([
      ['NAME', 'POD-SELECTOR', 'AGE'],
      ['default-deny-ingress', '<none>', expect.stringMatching(/^\d+s$/)],
      [
        'payment-gateway-from-api-gateway',
        'app=payment-gateway',
        expect.stringMatching(/^\d+s$/),
      ],
    ]);
  });

  it('gets vulnerabilityreports with trivy-operator’s columns', async () => {
    const rows = await eventually(async () => {
      const found = await table(
        'get',
        'vulnerabilityreports',
        '-A',
        '-o',
        'wide',
      );
      expect(found).toHaveLength(10);
      return found;
    });
    expect(rows[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'REPOSITORY',
      'TAG',
      'SCANNER',
      'AGE',
      'CRITICAL',
      'HIGH',
      'MEDIUM',
      'LOW',
      'UNKNOWN',
    ]);
    const payments = rows.find(r => r[0] === 'nexus-payments')!;
    expect(payments[1]).toMatch(
      /^replicaset-payment-gateway-\w+-payment-gateway$/,
    );
    expect(payments.slice(2, 5)).toEqual([
      'nexus-cos/payment-gateway',
      '1.0.0',
      'Trivy',
    ]);
    expect(payments.slice(6)).toEqual(['2', '5', '14', '31', '2']);
    expect(await ok(['get', 'vulns', '-n', 'nexus-media'])).toMatch(
      /^replicaset-\w{8,10}\s+nexus-cos\/media-transcoder\s+1\.0\.0\s+Trivy/m,
    );
  });
});
