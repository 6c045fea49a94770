import { SandboxCluster } from '../startSandboxCluster';
import { ChangeEvent } from '../store/types';
import {
  call,
  deploymentBody,
  eventually,
  startTestCluster,
} from './testCluster';

const NS = '/apis/apps/v1/namespaces/default';

async function pods(
  cluster: SandboxCluster,
  selector: string,
  namespace = 'default',
) {
  return (
    await call(
      cluster,
      'GET',
      `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(
        selector,
      )}`,
    )
  ).body.items as any[];
}

async function deployment(cluster: SandboxCluster, name: string) {
  return (await call(cluster, 'GET', `${NS}/deployments/${name}`)).body;
}

const condition = (d: any, type: string) =>
  d.status?.conditions?.find((c: any) => c.type === type);

/** Records store changes of one resource while a test runs. */
function record(cluster: SandboxCluster, resource: string) {
  const seen: ChangeEvent[] = [];
  const stop = cluster.store.subscribe(e => {
    if (e.resource === resource) seen.push(structuredClone(e));
  });
  return { seen, stop };
}

// Real processes and cold transforms on a busy 2-core CI machine need more than 5 s.
jest.setTimeout(60_000);

describe('controllers', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ seed: false });
  });
  afterAll(() => cluster.stop());

  it('brings a Deployment up through a ReplicaSet to ready pods, with events and revision 1', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('web', { replicas: 3 }),
    );
    const d = await eventually(async () => {
      const current = await deployment(cluster, 'web');
      expect(current.status).toMatchObject({
        replicas: 3,
        readyReplicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        observedGeneration: 1,
      });
      expect(current.status.unavailableReplicas).toBe(0);
      return current;
    });
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
      '1',
    );

    const rs = (
      await call(cluster, 'GET', `${NS}/replicasets?labelSelector=app%3Dweb`)
    ).body.items;
    expect(rs).toHaveLength(1);
    const hash = rs[0].metadata.labels['pod-template-hash'];
    expect(rs[0].metadata.name).toBe(`web-${hash}`);
    expect(rs[0].metadata.ownerReferences[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });

    const running = await pods(cluster, 'app=web');
    expect(running).toHaveLength(3);
    for (const pod of running) {
      expect(pod.metadata.labels['pod-template-hash']).toBe(hash);
      expect(pod.status).toMatchObject({
        phase: 'Running',
        podIP: expect.any(String),
      });
      expect(pod.spec.nodeName).toMatch(/^sandbox-node-/);
    }
    const events = (
      await call(
        cluster,
        'GET',
        `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${running[0].metadata.name}`,
      )
    ).body.items.map((e: any) => e.reason);
    expect(events).toEqual(
      expect.arrayContaining([
        'Scheduled',
        'Pulling',
        'Pulled',
        'Created',
        'Started',
      ]),
    );
    const dEvents = (
      await call(
        cluster,
        'GET',
        '/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DDeployment,involvedObject.name%3Dweb',
      )
    ).body.items;
    expect(dEvents.map((e: any) => e.message)).toContain(
      `Scaled up replica set web-${hash} from 0 to 3`,
    );
  });

  it('rolls out a new template within maxSurge and maxUnavailable', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('rolling', {
        replicas: 4,
        extraSpec: {
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
          },
        },
      }),
    );
    await eventually(async () =>
      expect(
        (
          await deployment(cluster, 'rolling')
        ).status.availableReplicas,
      ).toBe(4),
    );
    const isReady = (pod: any) =>
      (pod.status?.conditions ?? []).some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      );
    // Pods that count: not terminating. Ready ones among them must never drop below
    // replicas - maxUnavailable (4); all of them must never exceed replicas + maxSurge (5).
    const live = new Map<string, boolean>(
      (await pods(cluster, 'app=rolling')).map(p => [
        p.metadata.name,
        isReady(p),
      ]),
    );
    const podsSeen = record(cluster, '/pods');
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/rolling`,
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
    const done = await eventually(async () => {
      const d = await deployment(cluster, 'rolling');
      expect(d.status).toMatchObject({
        observedGeneration: 2,
        updatedReplicas: 4,
        availableReplicas: 4,
        replicas: 4,
      });
      return d;
    });
    podsSeen.stop();
    expect(done.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
      '2',
    );
    let peak = 0;
    let floor = Infinity;
    for (const e of podsSeen.seen) {
      const name = e.object.metadata.name;
      if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp)
        live.delete(name);
      else live.set(name, isReady(e.object));
      peak = Math.max(peak, live.size);
      floor = Math.min(floor, [...live.values()].filter(Boolean).length);
    }
    expect(peak).toBe(5);
    expect(floor).toBe(4);
    const images = (await pods(cluster, 'app=rolling'))
      .filter(p => !p.metadata.deletionTimestamp)
      .map(p => p.spec.containers[0].image);
    expect(images).toEqual(Array(4).fill('example/app:2.0.0'));
    const sets = (
      await call(
        cluster,
        'GET',
        `${NS}/replicasets?labelSelector=app%3Drolling`,
      )
    ).body.items;
    expect(sets.map((rs: any) => rs.spec.replicas).sort()).toEqual([0, 4]);
  });

  it('replaces a deleted pod and terminates it gracefully first', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('healing', { replicas: 2 }),
    );
    const before = await eventually(async () => {
      const list = await pods(cluster, 'app=healing');
      expect(
        list.filter(p => p.status.containerStatuses?.[0]?.ready),
      ).toHaveLength(2);
      return list;
    });
    const victim = before[0].metadata.name;
    const deleted = await call(
      cluster,
      'DELETE',
      `/api/v1/namespaces/default/pods/${victim}`,
      { gracePeriodSeconds: 30 },
    );
    expect(deleted.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(deleted.body.metadata.deletionGracePeriodSeconds).toBe(30);
    await eventually(async () => {
      const list = await pods(cluster, 'app=healing');
      expect(list.map(p => p.metadata.name)).not.toContain(victim);
      expect(
        list.filter(p => p.status.containerStatuses?.[0]?.ready),
      ).toHaveLength(2);
    });
  });

  it('leaves never-ready images in ImagePullBackOff and fails the rollout at its progress deadline', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('doomed', {
        replicas: 2,
        extraSpec: { progressDeadlineSeconds: 2 },
      }),
    );
    await eventually(async () =>
      expect(
        (
          await deployment(cluster, 'doomed')
        ).status.availableReplicas,
      ).toBe(2),
    );
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/doomed`,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'main', image: 'example/app:broken-build' }],
            },
          },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    const failed = await eventually(async () => {
      const d = await deployment(cluster, 'doomed');
      expect(condition(d, 'Progressing')).toMatchObject({
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
      });
      return d;
    }, 10000);
    expect(failed.status.availableReplicas).toBe(2);
    const stuck = (await pods(cluster, 'app=doomed')).filter(p =>
      p.spec.containers[0].image.endsWith(':broken-build'),
    );
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck[0].status.containerStatuses[0].state.waiting.reason).toBe(
      'ImagePullBackOff',
    );
    expect(stuck[0].status.phase).toBe('Pending');
  });

  it('re-uses the old ReplicaSet on rollback and makes it the newest revision', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('undo', { replicas: 1 }),
    );
    await eventually(async () =>
      expect((await deployment(cluster, 'undo')).status.availableReplicas).toBe(
        1,
      ),
    );
    const original = (await deployment(cluster, 'undo')).spec.template;
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/undo`,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'main', image: 'example/app:9' }] },
          },
        },
      },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    await eventually(async () =>
      expect((await deployment(cluster, 'undo')).status.updatedReplicas).toBe(
        1,
      ),
    );
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/undo`,
      [{ op: 'replace', path: '/spec/template', value: original }],
      { 'content-type': 'application/json-patch+json' },
    );
    const d = await eventually(async () => {
      const current = await deployment(cluster, 'undo');
      expect(
        current.metadata.annotations['deployment.kubernetes.io/revision'],
      ).toBe('3');
      expect(current.status).toMatchObject({
        updatedReplicas: 1,
        availableReplicas: 1,
        replicas: 1,
      });
      return current;
    });
    const sets = (
      await call(cluster, 'GET', `${NS}/replicasets?labelSelector=app%3Dundo`)
    ).body.items;
    expect(sets).toHaveLength(2);
    const live = sets.find((rs: any) => rs.spec.replicas === 1);
    expect(live.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
      '3',
    );
    expect(live.spec.template.spec.containers[0].image).toBe(
      d.spec.template.spec.containers[0].image,
    );
  });

  it('scales through the scale subresource, including to zero', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('scaled', { replicas: 1 }),
    );
    const patchScale = (replicas: number) =>
      call(
        cluster,
        'PATCH',
        `${NS}/deployments/scaled/scale`,
        { spec: { replicas } },
        { 'content-type': 'application/merge-patch+json' },
      );
    expect((await patchScale(4)).body).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 4 },
      status: { selector: 'app=scaled' },
    });
    await eventually(async () =>
      expect(
        (
          await pods(cluster, 'app=scaled')
        ).filter(p => p.status.containerStatuses?.[0]?.ready),
      ).toHaveLength(4),
    );
    await patchScale(0);
    await eventually(async () =>
      expect(await pods(cluster, 'app=scaled')).toHaveLength(0),
    );
    expect((await deployment(cluster, 'scaled')).status).toMatchObject({
      replicas: 0,
      availableReplicas: 0,
    });
    expect((await patchScale(-1)).status).toBe(422);
  });

  it.each(['Background', 'Foreground'])(
    'cascades a Deployment delete to its ReplicaSets and pods (%s)',
    async policy => {
      const name = `cascade-${policy.toLowerCase()}`;
      await call(
        cluster,
        'POST',
        `${NS}/deployments`,
        deploymentBody(name, { replicas: 2 }),
      );
      await eventually(async () =>
        expect(
          (
            await deployment(cluster, name)
          ).status?.availableReplicas,
        ).toBe(2),
      );
      const reply = await call(cluster, 'DELETE', `${NS}/deployments/${name}`, {
        propagationPolicy: policy,
      });
      // Foreground: the owner stays, marked for deletion, until its dependents are gone.
      const expected = policy === 'Foreground' ? ['foregroundDeletion'] : [];
      expect(reply.body.metadata.finalizers ?? []).toEqual(expected);
      await eventually(async () => {
        expect(
          (await call(cluster, 'GET', `${NS}/deployments/${name}`)).status,
        ).toBe(404);
        expect(
          (
            await call(
              cluster,
              'GET',
              `${NS}/replicasets?labelSelector=app%3D${name}`,
            )
          ).body.items,
        ).toHaveLength(0);
        expect(await pods(cluster, `app=${name}`)).toHaveLength(0);
      });
    },
  );

  it('orphans dependents when asked', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('orphaning', { replicas: 1 }),
    );
    await eventually(async () =>
      expect(
        (
          await deployment(cluster, 'orphaning')
        ).status?.availableReplicas,
      ).toBe(1),
    );
    await call(cluster, 'DELETE', `${NS}/deployments/orphaning`, {
      propagationPolicy: 'Orphan',
    });
    await eventually(async () => {
      expect(
        (await call(cluster, 'GET', `${NS}/deployments/orphaning`)).status,
      ).toBe(404);
      const sets = (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dorphaning`,
        )
      ).body.items;
      expect(sets).toHaveLength(1);
      expect(sets[0].metadata.ownerReferences ?? []).toEqual([]);
    });
    const orphanPods = (await pods(cluster, 'app=orphaning')).map(
      p => p.metadata.name,
    );
    expect(orphanPods).toHaveLength(1);

    // The same Deployment again adopts the orphaned ReplicaSet and its pod.
    const again = await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('orphaning', { replicas: 1 }),
    );
    await eventually(async () => {
      const sets = (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dorphaning`,
        )
      ).body.items;
      expect(sets).toHaveLength(1);
      expect(sets[0].metadata.ownerReferences[0].uid).toBe(
        again.body.metadata.uid,
      );
      expect(
        (await deployment(cluster, 'orphaning')).status?.availableReplicas,
      ).toBe(1);
    });
    expect(
      (await pods(cluster, 'app=orphaning')).map(p => p.metadata.name),
    ).toEqual(orphanPods);
  });

  it('salts the template hash when its ReplicaSet name is taken by another template', async () => {
    const merge = { 'content-type': 'application/merge-patch+json' };
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('clash', { replicas: 0 }),
    );
    const [first] = await eventually(async () => {
      const sets = (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dclash`,
        )
      ).body.items;
      expect(sets).toHaveLength(1);
      return sets;
    });
    await call(cluster, 'DELETE', `${NS}/deployments/clash`, {
      propagationPolicy: 'Orphan',
    });
    await eventually(async () =>
      expect(
        (
          await call(cluster, 'GET', `${NS}/replicasets/${first.metadata.name}`)
        ).body.metadata.ownerReferences ?? [],
      ).toEqual([]),
    );
    await call(
      cluster,
      'PATCH',
      `${NS}/replicasets/${first.metadata.name}`,
      { spec: { template: { metadata: { annotations: { edited: 'yes' } } } } },
      merge,
    );

    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('clash', { replicas: 0 }),
    );
    const names = await eventually(async () => {
      const sets = (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dclash`,
        )
      ).body.items;
      expect(sets).toHaveLength(2);
      return sets.map((rs: any) => rs.metadata.name);
    });
    expect(names).toContain(first.metadata.name);
    expect(names.find((n: string) => n !== first.metadata.name)).toMatch(
      /^clash-\w+$/,
    );
  });

  it('starts no rollout while paused, and rolls out on resume', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('paused', { replicas: 2 }),
    );
    await eventually(async () =>
      expect(
        (
          await deployment(cluster, 'paused')
        ).status?.availableReplicas,
      ).toBe(2),
    );
    const merge = { 'content-type': 'application/merge-patch+json' };
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/paused`,
      { spec: { paused: true } },
      merge,
    );
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/paused`,
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
    const paused = await eventually(async () => {
      const d = await deployment(cluster, 'paused');
      expect(condition(d, 'Progressing')).toMatchObject({
        status: 'Unknown',
        reason: 'DeploymentPaused',
      });
      return d;
    });
    expect(paused.status.updatedReplicas).toBe(0);
    expect(
      (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dpaused`,
        )
      ).body.items,
    ).toHaveLength(1);
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/paused`,
      { spec: { paused: null } },
      merge,
    );
    await eventually(async () => {
      const d = await deployment(cluster, 'paused');
      expect(d.status).toMatchObject({
        updatedReplicas: 2,
        availableReplicas: 2,
        replicas: 2,
      });
      expect(condition(d, 'Progressing')).toMatchObject({
        status: 'True',
        reason: 'NewReplicaSetAvailable',
      });
    });
  });

  it('recreates: every old pod is gone before a new one starts', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('recreated', {
        replicas: 2,
        extraSpec: { strategy: { type: 'Recreate' } },
      }),
    );
    await eventually(async () =>
      expect(
        (
          await deployment(cluster, 'recreated')
        ).status?.availableReplicas,
      ).toBe(2),
    );
    const seen = record(cluster, '/pods');
    await call(
      cluster,
      'PATCH',
      `${NS}/deployments/recreated`,
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
    await eventually(async () =>
      expect((await deployment(cluster, 'recreated')).status).toMatchObject({
        updatedReplicas: 2,
        availableReplicas: 2,
        replicas: 2,
      }),
    );
    seen.stop();
    const firstNew = seen.seen.findIndex(e => e.type === 'ADDED');
    const lastOldGone = seen.seen
      .map(
        e =>
          e.type === 'DELETED' &&
          e.object.spec.containers[0].image === 'example/app:1.0.0',
      )
      .lastIndexOf(true);
    expect(lastOldGone).toBeGreaterThanOrEqual(0);
    expect(firstNew).toBeGreaterThan(lastOldGone);
  });

  it('empties a deleted namespace before removing it', async () => {
    await call(cluster, 'POST', '/api/v1/namespaces', {
      metadata: { name: 'doomed-ns' },
    });
    await call(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/doomed-ns/deployments',
      deploymentBody('inside', { replicas: 1 }),
    );
    // Running, so that its deletion is graceful and keeps the namespace terminating a while.
    await eventually(async () =>
      expect(
        (
          await pods(cluster, 'app=inside', 'doomed-ns')
        ).filter(p => p.status.phase === 'Running'),
      ).toHaveLength(1),
    );
    const deleting = await call(
      cluster,
      'DELETE',
      '/api/v1/namespaces/doomed-ns',
    );
    expect(deleting.body.status.phase).toBe('Terminating');
    const refused = await call(
      cluster,
      'POST',
      '/api/v1/namespaces/doomed-ns/configmaps',
      { metadata: { name: 'late' } },
    );
    expect(refused.body).toMatchObject({
      code: 403,
      message: expect.stringContaining('being terminated'),
    });
    await eventually(async () =>
      expect(
        (
          await call(cluster, 'GET', '/api/v1/namespaces/doomed-ns')
        ).status,
      ).toBe(404),
    );
    expect(await pods(cluster, 'app=inside', 'doomed-ns')).toHaveLength(0);
  });

  it('converges after a burst of 200 concurrent scale patches and stale updates', async () => {
    await call(
      cluster,
      'POST',
      `${NS}/deployments`,
      deploymentBody('stormy', { replicas: 1 }),
    );
    const stale = await deployment(cluster, 'stormy');
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 4 === 0
          ? call(cluster, 'PUT', `${NS}/deployments/stormy`, {
              ...stale,
              spec: { ...stale.spec, replicas: 9 },
            })
          : call(
              cluster,
              'PATCH',
              `${NS}/deployments/stormy/scale`,
              { spec: { replicas: i % 5 } },
              { 'content-type': 'application/merge-patch+json' },
            ),
      ),
    );
    expect(replies.every(r => r.status === 200 || r.status === 409)).toBe(true);
    await eventually(async () => {
      const d = await deployment(cluster, 'stormy');
      const want = d.spec.replicas;
      expect(d.status).toMatchObject({
        observedGeneration: d.metadata.generation,
        replicas: want,
        updatedReplicas: want,
        availableReplicas: want,
      });
      const sets = (
        await call(
          cluster,
          'GET',
          `${NS}/replicasets?labelSelector=app%3Dstormy`,
        )
      ).body.items;
      expect(sets.map((rs: any) => rs.spec.replicas)).toEqual([want]);
      expect(
        (await pods(cluster, 'app=stormy')).filter(
          p => !p.metadata.deletionTimestamp,
        ),
      ).toHaveLength(want);
    });
  });
});
