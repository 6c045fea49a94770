import { SandboxCluster } from '../startSandboxCluster';
import {
  call,
  deploymentBody,
  eventually,
  startTestCluster,
} from './testCluster';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('API server', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ seed: false });
  });
  afterAll(() => cluster.stop());

  it('serves discovery for every group the Backstage plugin and kubectl use', async () => {
    expect((await call(cluster, 'GET', '/version')).body.gitVersion).toMatch(
      /^v1\.32/,
    );
    expect((await call(cluster, 'GET', '/api')).body.versions).toEqual(['v1']);
    const groups = (await call(cluster, 'GET', '/apis')).body.groups.map(
      (g: any) => g.preferredVersion.groupVersion,
    );
    expect(groups).toEqual([
      'apps/v1',
      'autoscaling/v2',
      'batch/v1',
      'policy/v1',
      'networking.k8s.io/v1',
      'rbac.authorization.k8s.io/v1',
      'cert-manager.io/v1',
      'aquasecurity.github.io/v1alpha1',
      'metrics.k8s.io/v1beta1',
    ]);
    const apps = (
      await call(cluster, 'GET', '/apis/apps/v1')
    ).body.resources.map((r: any) => r.name);
    expect(apps).toEqual(
      expect.arrayContaining([
        'deployments',
        'deployments/scale',
        'deployments/status',
        'replicasets',
        'statefulsets',
        'daemonsets',
      ]),
    );
    const core = (await call(cluster, 'GET', '/api/v1')).body.resources.map(
      (r: any) => r.name,
    );
    expect(core).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/log',
        'services',
        'configmaps',
        'secrets',
        'events',
        'namespaces',
        'limitranges',
        'resourcequotas',
      ]),
    );
    const openapi = await call(cluster, 'GET', '/openapi/v3/apis/apps/v1');
    expect(
      openapi.body.paths[
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}'
      ].patch.parameters.map((p: any) => p.name),
    ).toContain('fieldValidation');
  });

  it.each([
    '/api/v1/limitranges',
    '/api/v1/namespaces/default/resourcequotas',
    '/apis/apps/v1/statefulsets',
    '/apis/apps/v1/namespaces/default/daemonsets',
    '/apis/batch/v1/jobs',
    '/apis/batch/v1/namespaces/default/cronjobs',
    '/apis/networking.k8s.io/v1/ingresses',
    '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
  ])('answers %s with a valid empty list', async path => {
    const reply = await call(
      cluster,
      'GET',
      `${path}?labelSelector=backstage.io/kubernetes-id=x`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      kind: expect.stringMatching(/List$/),
      items: [],
      metadata: { resourceVersion: expect.any(String) },
    });
  });

  it('creates, reads, updates with optimistic concurrency, and deletes', async () => {
    const created = await call(
      cluster,
      'POST',
      DEPLOYMENTS,
      deploymentBody('crud'),
    );
    expect(created.status).toBe(201);
    const meta = created.body.metadata;
    expect(meta).toMatchObject({
      namespace: 'default',
      generation: 1,
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });
    expect(created.body.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });

    const again = await call(
      cluster,
      'POST',
      DEPLOYMENTS,
      deploymentBody('crud'),
    );
    expect(again.body).toMatchObject({
      kind: 'Status',
      code: 409,
      reason: 'AlreadyExists',
    });

    const current = (await call(cluster, 'GET', `${DEPLOYMENTS}/crud`)).body;
    current.spec.replicas = 3;
    const updated = await call(cluster, 'PUT', `${DEPLOYMENTS}/crud`, current);
    expect(updated.status).toBe(200);
    expect(updated.body.metadata.generation).toBe(2);
    const stale = await call(cluster, 'PUT', `${DEPLOYMENTS}/crud`, current);
    expect(stale.body).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('the object has been modified'),
    });

    expect((await call(cluster, 'DELETE', `${DEPLOYMENTS}/crud`)).status).toBe(
      200,
    );
    const gone = await call(cluster, 'GET', `${DEPLOYMENTS}/crud`);
    expect(gone.body).toMatchObject({
      kind: 'Status',
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "crud" not found',
      details: { name: 'crud', group: 'apps', kind: 'deployments' },
    });
  });

  it('answers bad requests with Kubernetes Status errors', async () => {
    const invalid = await call(cluster, 'POST', DEPLOYMENTS, {
      ...deploymentBody('Bad_Name'),
      spec: {
        ...deploymentBody('x').spec,
        replicas: -1,
        template: {
          metadata: { labels: { app: 'other' } },
          spec: { containers: [{ name: 'main' }] },
        },
      },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
    expect(invalid.body.details.causes.map((c: any) => c.field)).toEqual(
      expect.arrayContaining([
        'metadata.name',
        'spec.replicas',
        'spec.template.metadata.labels',
        'spec.template.spec.containers[0].image',
      ]),
    );

    expect(
      (await call(cluster, 'GET', '/apis/apps/v1/namespaces/default/widgets'))
        .body,
    ).toMatchObject({ kind: 'Status', code: 404 });
    expect((await call(cluster, 'GET', '/apis/nope.io/v1/things')).status).toBe(
      404,
    );
    expect(
      (await call(cluster, 'POST', DEPLOYMENTS, '{"kind": ')).body,
    ).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(
      (
        await call(cluster, 'POST', DEPLOYMENTS, 'x', {
          'content-type': 'text/plain',
        })
      ).body,
    ).toMatchObject({ code: 415 });
    expect(
      (
        await call(cluster, 'POST', DEPLOYMENTS, {
          ...deploymentBody('wrong'),
          kind: 'Pod',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(
          cluster,
          'POST',
          '/apis/apps/v1/namespaces/missing/deployments',
          deploymentBody('x'),
        )
      ).body,
    ).toMatchObject({ code: 404, message: 'namespaces "missing" not found' });
    expect(
      (await call(cluster, 'GET', '/api/v1/pods?labelSelector=a%20in%20(b'))
        .status,
    ).toBe(400);
    expect(
      (
        await call(
          cluster,
          'GET',
          '/api/v1/pods?fieldSelector=spec.color%3Dred',
        )
      ).body.message,
    ).toContain('field label not supported: spec.color');
    expect(
      (await call(cluster, 'GET', '/api/v1/pods?continue=garbage')).status,
    ).toBe(400);

    await call(cluster, 'POST', DEPLOYMENTS, deploymentBody('patchme'));
    const badPatch = (body: unknown, type: string) =>
      call(cluster, 'PATCH', `${DEPLOYMENTS}/patchme`, body, {
        'content-type': type,
      });
    expect(
      (
        await badPatch(
          [{ op: 'explode', path: '/spec' }],
          'application/json-patch+json',
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await badPatch(
          [{ op: 'test', path: '/spec/replicas', value: 99 }],
          'application/json-patch+json',
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await badPatch(
          {
            spec: {
              template: { spec: { containers: [{ image: 'no-name' }] } },
            },
          },
          'application/strategic-merge-patch+json',
        )
      ).status,
    ).toBe(400);
    expect(
      (await badPatch({ spec: {} }, 'application/apply-patch+cbor')).status,
    ).toBe(415);
    expect(
      (
        await badPatch(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'patchme' },
          },
          'application/apply-patch+yaml',
        )
      ).body,
    ).toMatchObject({
      code: 422,
      details: { causes: [{ field: 'fieldManager' }] },
    });
    expect((await badPatch('[1,', 'application/merge-patch+json')).status).toBe(
      400,
    );
    expect(
      (
        await badPatch(
          { spec: { replicas: 'many' } },
          'application/merge-patch+json',
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await badPatch(
          { spec: { replicas: -2 } },
          'application/merge-patch+json',
        )
      ).status,
    ).toBe(422);
    // After all those failures the object is unchanged.
    expect(
      (await call(cluster, 'GET', `${DEPLOYMENTS}/patchme`)).body.metadata
        .generation,
    ).toBe(1);
  });

  it('never answers 5xx to objects of the wrong shape', async () => {
    await call(cluster, 'POST', DEPLOYMENTS, deploymentBody('shapes'));
    const fields = [
      'metadata',
      'spec',
      'status',
      'metadata.labels',
      'spec.replicas',
      'spec.template',
      'spec.template.spec.containers',
      'spec.selector',
      'spec.strategy',
    ];
    const values = [null, 5, 'text', [], [1], true, { $patch: 'delete' }];
    const statuses = new Set<number>();
    for (const field of fields) {
      for (const value of values) {
        const body: any = structuredClone(deploymentBody('shapes'));
        const path = field.split('.');
        let at = body;
        for (const key of path.slice(0, -1)) at = at[key];
        at[path[path.length - 1]] = value;
        const replies = await Promise.all([
          call(cluster, 'POST', DEPLOYMENTS, body),
          call(cluster, 'PUT', `${DEPLOYMENTS}/shapes`, body),
          call(cluster, 'PATCH', `${DEPLOYMENTS}/shapes?dryRun=All`, body, {
            'content-type': 'application/merge-patch+json',
          }),
          call(cluster, 'PATCH', `${DEPLOYMENTS}/shapes?dryRun=All`, body, {
            'content-type': 'application/strategic-merge-patch+json',
          }),
          call(
            cluster,
            'PATCH',
            `${DEPLOYMENTS}/shapes?dryRun=All`,
            [{ op: 'add', path: `/${path.join('/')}`, value }],
            { 'content-type': 'application/json-patch+json' },
          ),
        ]);
        for (const reply of replies) {
          statuses.add(reply.status);
          // Success, or a Status error that is the client's fault.
          expect(
            reply.status < 300 ||
              (reply.status < 500 && reply.body.kind === 'Status'),
          ).toBe(true);
        }
      }
    }
    expect([...statuses]).toEqual(expect.arrayContaining([400, 409, 422]));
    const wrongType = await call(cluster, 'POST', DEPLOYMENTS, {
      ...deploymentBody('typed'),
      spec: 5,
    });
    expect(wrongType.body).toMatchObject({
      code: 400,
      message:
        'Deployment in version "v1" cannot be handled as a Deployment: Deployment.spec: expected object, got number',
    });
    expect(
      (await call(cluster, 'GET', '/api/v1/namespaces/%E0%A4%A/pods')).status,
    ).toBe(400);
    // Whatever of those writes were valid left a well-formed object behind.
    const after = (await call(cluster, 'GET', `${DEPLOYMENTS}/shapes`)).body;
    expect(Array.isArray(after.spec.template.spec.containers)).toBe(true);
    expect(after.metadata.name).toBe('shapes');
  }, 20000);

  it('applies merge, JSON and strategic merge patches the way kubectl relies on', async () => {
    await call(cluster, 'POST', DEPLOYMENTS, deploymentBody('patched'));
    const path = `${DEPLOYMENTS}/patched`;
    const smp = await call(
      cluster,
      'PATCH',
      path,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'main', image: 'example/app:2.0.0' }],
            },
          },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    const container = smp.body.spec.template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'example/app:2.0.0',
      ports: [{ containerPort: 8080 }],
      env: [{ name: 'MODE', value: 'test' }],
      resources: { requests: { cpu: '100m' } },
    });

    const merge = await call(
      cluster,
      'PATCH',
      path,
      { metadata: { labels: { tier: 'web' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(merge.body.metadata.labels).toEqual({ app: 'patched', tier: 'web' });

    const json = await call(
      cluster,
      'PATCH',
      path,
      [{ op: 'replace', path: '/spec/replicas', value: 4 }],
      { 'content-type': 'application/json-patch+json' },
    );
    expect(json.body.spec.replicas).toBe(4);
  });

  it('stores HorizontalPodAutoscalers and validates their bounds', async () => {
    const hpas =
      '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
    const hpa = (minReplicas: number, maxReplicas: number) => ({
      metadata: { name: `hpa-${minReplicas}-${maxReplicas}` },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
        },
        minReplicas,
        maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 70 },
            },
          },
        ],
      },
    });
    expect((await call(cluster, 'POST', hpas, hpa(2, 10))).status).toBe(201);
    const bad = await call(cluster, 'POST', hpas, hpa(5, 3));
    expect(bad.body.details.causes).toEqual([
      expect.objectContaining({ field: 'spec.maxReplicas' }),
    ]);
    const table = await call(cluster, 'GET', hpas, undefined, {
      accept: TABLE,
    });
    expect(table.body.rows[0].cells.slice(0, 5)).toEqual([
      'hpa-2-10',
      'Deployment/web',
      'cpu: <unknown>/70%',
      2,
      10,
    ]);
  });

  it('dry-runs writes without storing them', async () => {
    const dry = await call(
      cluster,
      'POST',
      `${DEPLOYMENTS}?dryRun=All`,
      deploymentBody('dry'),
    );
    expect(dry.status).toBe(201);
    expect(dry.body.metadata.uid).toEqual(expect.any(String));
    expect((await call(cluster, 'GET', `${DEPLOYMENTS}/dry`)).status).toBe(404);

    await call(cluster, 'POST', DEPLOYMENTS, deploymentBody('drypatch'));
    const before = (await call(cluster, 'GET', `${DEPLOYMENTS}/drypatch`)).body;
    const patched = await call(
      cluster,
      'PATCH',
      `${DEPLOYMENTS}/drypatch?dryRun=All`,
      { spec: { replicas: 7 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patched.body.spec.replicas).toBe(7);
    const after = (await call(cluster, 'GET', `${DEPLOYMENTS}/drypatch`)).body;
    expect(after.spec.replicas).toBe(before.spec.replicas);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(
      (await call(cluster, 'DELETE', `${DEPLOYMENTS}/drypatch?dryRun=All`))
        .status,
    ).toBe(200);
    expect((await call(cluster, 'GET', `${DEPLOYMENTS}/drypatch`)).status).toBe(
      200,
    );
  });

  it('filters by label and field selectors and pages with limit/continue', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) {
      await call(cluster, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name, labels: { set: 'paging', name } },
        data: {},
      });
    }
    const bySet = await call(
      cluster,
      'GET',
      '/api/v1/namespaces/default/configmaps?labelSelector=set%3Dpaging,name%20notin%20(page-b)',
    );
    expect(bySet.body.items.map((i: any) => i.metadata.name)).toEqual([
      'page-a',
      'page-c',
    ]);
    const byName = await call(
      cluster,
      'GET',
      '/api/v1/configmaps?fieldSelector=metadata.name%3Dpage-b,metadata.namespace%3Ddefault',
    );
    expect(byName.body.items.map((i: any) => i.metadata.name)).toEqual([
      'page-b',
    ]);

    const first = await call(
      cluster,
      'GET',
      '/api/v1/namespaces/default/configmaps?labelSelector=set%3Dpaging&limit=2',
    );
    expect(first.body.items).toHaveLength(2);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const second = await call(
      cluster,
      'GET',
      `/api/v1/namespaces/default/configmaps?labelSelector=set%3Dpaging&limit=2&continue=${first.body.metadata.continue}`,
    );
    expect(second.body.items.map((i: any) => i.metadata.name)).toEqual([
      'page-c',
    ]);
    expect(second.body.metadata.continue).toBeUndefined();
  });

  it('renders meta.k8s.io Tables when asked', async () => {
    await call(
      cluster,
      'POST',
      DEPLOYMENTS,
      deploymentBody('tabled', { replicas: 0 }),
    );
    const table = await call(
      cluster,
      'GET',
      `${DEPLOYMENTS}?fieldSelector=metadata.name%3Dtabled`,
      undefined,
      { accept: TABLE },
    );
    expect(table.body.kind).toBe('Table');
    expect(
      table.body.columnDefinitions
        .filter((c: any) => c.priority === 0)
        .map((c: any) => c.name),
    ).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    expect(table.body.rows[0].cells.slice(0, 4)).toEqual([
      'tabled',
      '0/0',
      0,
      0,
    ]);
    expect(table.body.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'tabled' },
    });
  });

  it('keeps every object consistent under a burst of 200 conflicting updates', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'burst' },
      data: { n: '0' },
    });
    const path = '/api/v1/namespaces/default/configmaps/burst';
    const start = (await call(cluster, 'GET', path)).body;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        if (i % 2 === 0)
          return call(cluster, 'PUT', path, {
            ...start,
            data: { n: String(i) },
          });
        return call(
          cluster,
          'PATCH',
          path,
          { data: { [`k${i}`]: String(i) } },
          { 'content-type': 'application/merge-patch+json' },
        );
      }),
    );
    const puts = replies.filter((_, i) => i % 2 === 0);
    expect(puts.filter(r => r.status === 200)).toHaveLength(1);
    expect(puts.filter(r => r.status === 409).length).toBe(99);
    expect(
      replies.filter((_, i) => i % 2 === 1).every(r => r.status === 200),
    ).toBe(true);
    const final = (await call(cluster, 'GET', path)).body;
    expect(Object.keys(final.data).filter(k => k.startsWith('k'))).toHaveLength(
      100,
    );
    const versions = replies
      .filter(r => r.status === 200)
      .map(r => Number(r.body.metadata.resourceVersion));
    expect(new Set(versions).size).toBe(versions.length);
    expect(Math.max(...versions)).toBe(Number(final.metadata.resourceVersion));
  });

  it('streams watch events, resumes from a resourceVersion, and answers 410 for expired ones', async () => {
    const small = await startTestCluster({
      seed: false,
      timings: { watchHistorySize: 5 },
    });
    try {
      const cms = '/api/v1/namespaces/default/configmaps';
      const created = await call(small, 'POST', cms, {
        metadata: { name: 'watched' },
        data: { v: '1' },
      });
      const controller = new AbortController();
      const res = await fetch(
        `${small.url}${cms}?watch=true&resourceVersion=${created.body.metadata.resourceVersion}&allowWatchBookmarks=true`,
        { signal: controller.signal },
      );
      const reader = res.body!.getReader();
      await call(
        small,
        'PATCH',
        `${cms}/watched`,
        { data: { v: '2' } },
        { 'content-type': 'application/merge-patch+json' },
      );
      await call(small, 'DELETE', `${cms}/watched`);
      let text = '';
      await eventually(async () => {
        const chunk = await reader.read();
        text += new TextDecoder().decode(chunk.value);
        const types = text
          .trim()
          .split('\n')
          .map(l => JSON.parse(l).type);
        expect(types).toEqual(['MODIFIED', 'DELETED']);
      });
      controller.abort();

      for (let i = 0; i < 10; i += 1)
        await call(small, 'POST', cms, { metadata: { name: `filler-${i}` } });
      const expired = await call(
        small,
        'GET',
        `${cms}?watch=true&resourceVersion=${created.body.metadata.resourceVersion}`,
      );
      // One event, so the newline-delimited stream parses as a single JSON document.
      expect(expired.body).toMatchObject({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      });
    } finally {
      await small.stop();
    }
  });

  it('sends initial events, the initial-events-end bookmark and periodic bookmarks', async () => {
    const quick = await startTestCluster({
      seed: false,
      timings: { bookmarkMs: 100 },
    });
    try {
      const controller = new AbortController();
      const res = await fetch(
        `${quick.url}/api/v1/namespaces?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
        { signal: controller.signal },
      );
      const reader = res.body!.getReader();
      let text = '';
      const events = await eventually(async () => {
        text += new TextDecoder().decode((await reader.read()).value);
        const lines = text
          .trim()
          .split('\n')
          .map(l => JSON.parse(l));
        expect(lines.length).toBeGreaterThanOrEqual(5);
        return lines;
      });
      controller.abort();
      expect(
        events.slice(0, 3).map(e => `${e.type} ${e.object.metadata.name}`),
      ).toEqual(['ADDED default', 'ADDED kube-public', 'ADDED kube-system']);
      expect(events[3]).toMatchObject({
        type: 'BOOKMARK',
        object: {
          kind: 'Namespace',
          metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
        },
      });
      expect(events[4]).toMatchObject({
        type: 'BOOKMARK',
        object: { metadata: { resourceVersion: expect.any(String) } },
      });
    } finally {
      await quick.stop();
    }
  });

  it('requires the bearer token when one is set, and forbids writes to a read-only token', async () => {
    const locked = await startTestCluster({
      seed: false,
      token: 'admin',
      readOnlyToken: 'viewer',
    });
    try {
      expect((await call(locked, 'GET', '/api/v1/pods')).status).toBe(401);
      expect(
        (
          await call(locked, 'GET', '/api/v1/pods', undefined, {
            authorization: 'Bearer admin',
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call(locked, 'GET', '/api/v1/pods', undefined, {
            authorization: 'Bearer viewer',
          })
        ).status,
      ).toBe(200);
      const write = await call(
        locked,
        'POST',
        '/api/v1/namespaces/default/configmaps',
        { metadata: { name: 'x' } },
        { authorization: 'Bearer viewer' },
      );
      expect(write.body).toMatchObject({
        kind: 'Status',
        code: 403,
        reason: 'Forbidden',
      });
    } finally {
      await locked.stop();
    }
  });
});
