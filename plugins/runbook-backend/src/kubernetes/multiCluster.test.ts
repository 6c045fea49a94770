import { TestDatabases } from '@backstage/backend-test-utils';
import net from 'node:net';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { startTcpProxy } from '../health/__testUtils__/tcpProxy';
import {
  AUDITOR,
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const NS = 'nexus-multi';
/** How long the watch of a cluster waits for an answer before it calls it unreachable. */
const WATCH_TIMEOUT_MS = 3000;
/** How long a watch may hear nothing (the sandbox bookmarks every second). */
const SILENCE_S = 3;
/** How long an engine call to a cluster waits before it fails. */
const ENGINE_TIMEOUT_S = 4;

/** Runs in every configured cluster: it has no cluster annotation. */
const both = component('both', {
  'backstage.io/kubernetes-namespace': NS,
  'nexus-cos.io/replicas': '1-6',
});
/** Runs in cluster `b` only, as its annotation says. */
const onlyB = component('only-b', {
  'backstage.io/kubernetes-namespace': NS,
  'backstage.io/kubernetes-cluster': 'b',
});
/** Names a cluster the runbook does not know. */
const ghost = component('ghost', {
  'backstage.io/kubernetes-namespace': NS,
  'backstage.io/kubernetes-cluster': 'nowhere',
});

/** A "cluster" that accepts connections and never answers: a hung apiserver. */
async function startBlackHole() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Connections it holds open right now. */
    get open() {
      return sockets.size;
    },
    async stop() {
      sockets.forEach(s => s.destroy());
      await new Promise(r => server.close(r));
    },
  };
}

const cluster = (name: string, url: string) => ({
  name,
  url,
  authProvider: 'serviceAccount',
  skipTLSVerify: true,
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'several clusters, one of them hanging, on %p',
  databaseId => {
    let a: Awaited<ReturnType<typeof startSeededSandbox>>;
    let b: Awaited<ReturnType<typeof startSeededSandbox>>;
    let hang: Awaited<ReturnType<typeof startBlackHole>>;
    /** Cluster a is reached through it, so that it can stop answering later. */
    let proxyA: Awaited<ReturnType<typeof startTcpProxy>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let http: typeof started.http;

    const deploymentPath = `/apis/apps/v1/namespaces/${NS}/deployments/both`;
    /** A GET that records how long it took. */
    const timed = async (path: string) => {
      const t0 = performance.now();
      const res = await http.get(path).set(as(OWNER));
      return { res, ms: performance.now() - t0 };
    };
    async function eventually<T>(
      probe: () => Promise<T | undefined>,
      ms = 30_000,
    ): Promise<T> {
      const deadline = Date.now() + ms;
      let last: unknown;
      for (;;) {
        try {
          const value = await probe();
          if (value !== undefined) return value;
        } catch (error) {
          last = error;
        }
        if (Date.now() > deadline) throw new Error(`timed out: ${last}`);
        await new Promise(r => setTimeout(r, 100));
      }
    }
    const part = (health: any, name: string) =>
      health.clusters?.find((c: any) => c.cluster === name);
    /** The health of `both` once every cluster's part has settled. */
    const settledHealth = (replicasInB = 3) =>
      eventually(async () => {
        const { body } = await http
          .get('/api/runbook/entities/component/default/both/health')
          .set(as(OWNER));
        const inB = part(body, 'b')?.workload?.deployments[0];
        return part(body, 'a')?.workload &&
          inB?.replicas === replicasInB &&
          inB.readyReplicas === replicasInB &&
          part(body, 'hang')?.reasons[0]?.code === 'cluster-unreachable'
          ? body
          : undefined;
      });
    async function waitForRun(id: string) {
      return eventually(async () => {
        const { body } = await http
          .get(`/api/runbook/runs/${id}`)
          .set(as(OWNER));
        return ['succeeded', 'failed', 'rolled-back', 'cancelled'].includes(
          body.status,
        )
          ? body
          : undefined;
      }, 60_000);
    }

    beforeAll(async () => {
      [a, b, hang] = await Promise.all([
        startSeededSandbox([both]),
        // Slow readiness: a change in b runs long enough for a second one to meet its lock.
        startSeededSandbox([both, onlyB], { timings: { readinessMs: 2000 } }),
        startBlackHole(),
      ]);
      const { hostname, port } = new URL(a.url);
      proxyA = await startTcpProxy({ host: hostname, port: Number(port) });
      // Cluster b runs three replicas of `both`, cluster a its seeded count: each part
      // of its health must come from its own cluster.
      await b.send(
        'PATCH',
        deploymentPath,
        { spec: { replicas: 3 } },
        'application/merge-patch+json',
      );
      started = await startRunbookBackend({
        knex: await databases.init(databaseId),
        entities: [both, onlyB, ghost],
        clusterUrl: a.url,
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                cluster('a', proxyA.url),
                cluster('b', b.url),
                cluster('hang', hang.url),
              ],
            },
          ],
        },
        config: {
          engine: {
            pollIntervalMs: 100,
            lockTtlSeconds: 10,
            janitorIntervalSeconds: 1,
            clusterTimeoutSeconds: ENGINE_TIMEOUT_S,
          },
          health: {
            watch: {
              requestTimeoutMs: WATCH_TIMEOUT_MS,
              silenceSeconds: SILENCE_S,
            },
          },
        },
      });
      http = started.http;
    });
    afterAll(async () => {
      await started?.backend.stop();
      await Promise.all([a?.stop(), b?.stop(), hang?.stop(), proxyA?.stop()]);
    });

    it('reads a service from each of its clusters; the hanging one is unknown with the reason, and never slows a read', async () => {
      // Reads answer from the caches at once, also while the hanging cluster's lists are
      // still waiting for an answer that will not come.
      const early = await timed(
        '/api/runbook/entities/component/default/both/health',
      );
      expect(early.res.status).toBe(200);
      expect(early.ms).toBeLessThan(WATCH_TIMEOUT_MS / 2);
      expect(part(early.res.body, 'hang')?.status).toBe('unknown');

      const health = await settledHealth();
      expect(health.clusters.map((c: any) => c.cluster)).toEqual([
        'a',
        'b',
        'hang',
      ]);
      const seeded = (await a.get(deploymentPath)).spec.replicas;
      expect(seeded).not.toBe(3);
      expect(part(health, 'a')).toMatchObject({
        status: 'healthy',
        workload: {
          cluster: 'a',
          deployments: [{ name: 'both', replicas: seeded }],
        },
      });
      expect(part(health, 'b')).toMatchObject({
        status: 'healthy',
        workload: { cluster: 'b', deployments: [{ replicas: 3 }] },
      });
      expect(part(health, 'hang')).toEqual({
        cluster: 'hang',
        status: 'unknown',
        reasons: [
          {
            code: 'cluster-unreachable',
            status: 'unknown',
            message: `Cluster hang could not be read: no answer within ${
              WATCH_TIMEOUT_MS / 1000
            } s`,
          },
        ],
      });
      // The whole is as bad as its worst part, and says where.
      expect(health.status).toBe('unknown');
      expect(health.reasons).toContainEqual(
        expect.objectContaining({
          code: 'cluster-unreachable',
          cluster: 'hang',
        }),
      );
      expect(hang.open).toBeGreaterThan(0);

      // Later reads stay fast: none waits on the cluster that hangs.
      const reads = [];
      for (let i = 0; i < 5; i++) {
        reads.push(
          await timed('/api/runbook/entities/component/default/both/health'),
        );
      }
      for (const { res, ms } of reads) {
        expect(res.status).toBe(200);
        expect(ms).toBeLessThan(WATCH_TIMEOUT_MS / 2);
      }
    });

    it('maps an entity to the cluster its annotation names, and says so when it names none configured', async () => {
      const onlyInB = await eventually(async () => {
        const { body } = await http
          .get('/api/runbook/entities/component/default/only-b/health')
          .set(as(OWNER));
        return body.workload ? body : undefined;
      });
      expect(onlyInB.clusters.map((c: any) => c.cluster)).toEqual(['b']);
      expect(onlyInB.status).toBe('healthy');
      expect(onlyInB.workload.cluster).toBe('b');

      const lost = await http
        .get('/api/runbook/entities/component/default/ghost/health')
        .set(as(OWNER));
      expect(lost.body.status).toBe('unknown');
      expect(lost.body.reasons[0]).toMatchObject({
        code: 'no-cluster',
        message:
          'Its backstage.io/kubernetes-cluster annotation names cluster nowhere, which the runbook does not know (its clusters: a, b, hang)',
      });

      const overview = await timed('/api/runbook/health');
      expect(overview.ms).toBeLessThan(WATCH_TIMEOUT_MS / 2);
      expect(overview.res.body.clusters).toEqual(['a', 'b', 'hang']);
      const item = overview.res.body.items.find(
        (i: any) => i.entityRef === 'component:default/both',
      );
      expect(item.clusters.map((c: any) => [c.cluster, c.status])).toEqual([
        ['a', 'healthy'],
        ['b', 'healthy'],
        ['hang', 'unknown'],
      ]);
    });

    it('shows the Runbook view per cluster and lists where the service runs', async () => {
      const first = await http
        .get('/api/runbook/entities/component/default/both/runbook')
        .set(as(OWNER));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        cluster: 'a',
        clusters: ['a', 'b', 'hang'],
      });
      const inB = await http
        .get('/api/runbook/entities/component/default/both/runbook?cluster=b')
        .set(as(OWNER));
      expect(inB.body.cluster).toBe('b');
      expect(inB.body.live.replicas).toBe(3);
      const wrong = await http
        .get('/api/runbook/entities/component/default/only-b/runbook?cluster=a')
        .set(as(OWNER));
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toBe(
        'cluster: a is not a cluster of component:default/only-b (its clusters: b)',
      );
    });

    it('acts only on the cluster a run names, locks per cluster, and audits where', async () => {
      await settledHealth();
      const post = (body: object) =>
        http
          .post('/api/runbook/entities/component/default/both/runs')
          .set(as(OWNER))
          .send(body);
      const unnamed = await post({ action: 'scale', input: { replicas: 4 } });
      expect(unnamed.status).toBe(400);
      expect(unnamed.body.error.message).toBe(
        'cluster: component:default/both runs in several clusters; name the one to act on (one of: a, b, hang)',
      );

      const inA = (await a.get(deploymentPath)).spec.replicas;
      // Two changes of the same cluster exclude each other; one in another cluster does not.
      const answers = await Promise.all([
        post({ action: 'scale', input: { replicas: 5 }, cluster: 'b' }),
        post({ action: 'scale', input: { replicas: 4 }, cluster: 'b' }),
        post({ action: 'scale', input: { replicas: 1 }, cluster: 'a' }),
      ]);
      const inBAnswers = answers
        .slice(0, 2)
        .map(r => r.status)
        .sort();
      expect(inBAnswers).toEqual([202, 409]);
      const refused = answers.slice(0, 2).find(r => r.status === 409)!;
      expect(refused.body.error.message).toMatch(
        /^component:default\/both is locked by run [0-9a-f-]+ \(scale by user:default\/alice, \w+\) in cluster b; try again when it has ended$/,
      );
      expect(answers[2].status).toBe(202);
      expect(answers[2].body.cluster).toBe('a');

      const accepted = answers.slice(0, 2).find(r => r.status === 202)!;
      expect(accepted.body.cluster).toBe('b');
      const done = await waitForRun(accepted.body.id);
      expect(done).toMatchObject({ status: 'succeeded', cluster: 'b' });
      const wanted = accepted.body.input.replicas;
      expect((await b.get(deploymentPath)).spec.replicas).toBe(wanted);
      const doneA = await waitForRun(answers[2].body.id);
      expect(doneA.status).toBe('succeeded');
      expect((await a.get(deploymentPath)).spec.replicas).toBe(1);
      expect(inA).not.toBe(1);

      // Its audit rows, from the request to the end, name the cluster.
      const audit = await http
        .get(`/api/runbook/audit?run=${accepted.body.id}`)
        .set(as(AUDITOR));
      expect(audit.status).toBe(200);
      const rows = audit.body.items.map((r: any) => [
        r.event,
        r.summary.cluster,
      ]);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows).toEqual(rows.map(([event]: string[]) => [event, 'b']));
    });

    it('fails a change in the hanging cluster after its timeout, while changes elsewhere go through at once', async () => {
      const t0 = performance.now();
      const [stuck, elsewhere] = await Promise.all([
        http
          .post('/api/runbook/entities/component/default/both/runs')
          .set(as(OWNER))
          .send({ action: 'scale', input: { replicas: 2 }, cluster: 'hang' })
          .then(res => ({ res, ms: performance.now() - t0 })),
        http
          .post('/api/runbook/entities/component/default/only-b/runs')
          .set(as(OWNER))
          .send({ action: 'scale', input: { replicas: 2 } })
          .then(res => ({ res, ms: performance.now() - t0 })),
      ]);
      expect(elsewhere.res.status).toBe(202);
      expect(elsewhere.res.body.cluster).toBe('b');
      expect(elsewhere.ms).toBeLessThan(ENGINE_TIMEOUT_S * 1000);
      expect(stuck.res.status).toBe(503);
      expect(stuck.res.body.error.message).toBe(
        `Cluster hang could not be reached: no answer within ${ENGINE_TIMEOUT_S} s`,
      );
      expect(stuck.ms).toBeGreaterThanOrEqual(ENGINE_TIMEOUT_S * 1000 - 50);
      expect((await waitForRun(elsewhere.res.body.id)).status).toBe(
        'succeeded',
      );
    });
    it('turns only the part of a cluster that stops answering unknown, keeping what it last reported', async () => {
      const inB = (await b.get(deploymentPath)).spec.replicas;
      const before = await settledHealth(inB);
      expect(part(before, 'a').status).toBe('healthy');
      const lastReported = part(before, 'a').workload;

      proxyA.hang();
      const hungAt = Date.now();
      const slowest: number[] = [];
      const after = await eventually(async () => {
        const { res, ms } = await timed(
          '/api/runbook/entities/component/default/both/health',
        );
        slowest.push(ms);
        return part(res.body, 'a')?.reasons[0]?.code === 'cluster-unreachable'
          ? res.body
          : undefined;
      });
      // Noticed within a silence and a request timeout, and not before the silence.
      const noticedAfterMs = Date.now() - hungAt;
      expect(noticedAfterMs).toBeGreaterThanOrEqual(SILENCE_S * 1000);
      expect(Math.max(...slowest)).toBeLessThan(WATCH_TIMEOUT_MS / 2);
      expect(part(after, 'a')).toMatchObject({
        status: 'unknown',
        workload: { cluster: 'a', deployments: lastReported.deployments },
        reasons: [
          {
            code: 'cluster-unreachable',
            message: expect.stringMatching(
              new RegExp(
                `^Cluster a could not be read since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: no answer within ${
                  WATCH_TIMEOUT_MS / 1000
                } s; showing what it last reported$`,
              ),
            ),
          },
        ],
      });
      expect(part(after, 'b').status).toBe('healthy');
      expect(part(after, 'hang').status).toBe('unknown');

      // Actions in the other clusters go on; one in a is refused for want of an answer.
      const inA = await http
        .post('/api/runbook/entities/component/default/both/runs')
        .set(as(OWNER))
        .send({ action: 'scale', input: { replicas: 2 }, cluster: 'a' });
      expect(inA.status).toBe(503);
      expect(inA.body.error.message).toBe(
        `Cluster a could not be reached: no answer within ${ENGINE_TIMEOUT_S} s`,
      );
    });
  },
);
