import { TestDatabases } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import {
  RUNS_SIGNAL_CHANNEL,
  RunbookClient,
  RunbookResolution,
} from '@nexus-cos/plugin-runbook-common';
import {
  OWNER,
  AUDITOR,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';

jest.setTimeout(120_000);

const NS = 'nexus-it';
const SERVICES = [
  'scale',
  'hpa',
  'stopstart',
  'restart',
  'image',
  'broken',
  'rollback',
  'resources',
  'bluegreen',
  'switchback',
  'unready',
  'pod',
  'dry',
  'cancel',
  'race',
  'idem',
  'par1',
  'par2',
  'par3',
  'par4',
  'par5',
  'prod',
  'pageview',
  'pause',
];
const entities = SERVICES.map(s =>
  component(
    s,
    { 'backstage.io/kubernetes-namespace': NS, 'nexus-cos.io/replicas': '2-6' },
    s === 'prod' ? { lifecycle: 'production' } : {},
  ),
);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];

describe.each(databases.eachSupportedId())(
  'runbook actions against the sandbox cluster on %p',
  databaseId => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let started: Awaited<ReturnType<typeof startRunbookBackend>>;
    let http: typeof started.http;
    let client: RunbookClient;
    const signals: Array<{ channel: string; message: any }> = [];

    const deployment = (name: string) =>
      sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);
    const service = (name: string) =>
      sandbox.get(`/api/v1/namespaces/${NS}/services/${name}`);
    const image = (d: any) => d.spec.template.spec.containers[0].image;
    const post = (
      svc: string,
      body: object,
      headers: Record<string, string> = {},
    ) =>
      http
        .post(`/api/runbook/entities/component/default/${svc}/runs`)
        .set(as(OWNER))
        .set(headers)
        .send(body);

    async function waitForRun(
      id: string,
      until: (run: any) => boolean = r => TERMINAL.includes(r.status),
    ) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const current = (
          await http.get(`/api/runbook/runs/${id}`).set(as(OWNER))
        ).body;
        if (until(current)) return current;
        if (Date.now() > deadline)
          throw new Error(`run ${id} stuck in ${current.status}`);
        await new Promise(r => setTimeout(r, 100));
      }
    }

    /** The runbook once its live state matches: the watch cache follows a change within moments. */
    async function runbookWhen(
      svc: string,
      until: (r: RunbookResolution) => boolean,
    ) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const runbook = await client.getRunbook(`component:default/${svc}`);
        if (until(runbook)) return runbook;
        if (Date.now() > deadline)
          throw new Error(`runbook of ${svc}: ${JSON.stringify(runbook)}`);
        await new Promise(r => setTimeout(r, 50));
      }
    }

    async function run(svc: string, body: object) {
      const res = await post(svc, body);
      expect({ status: res.status, error: res.body.error?.message }).toEqual({
        status: 202,
        error: undefined,
      });
      return waitForRun(res.body.id);
    }

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      started = await startRunbookBackend({
        knex: await databases.init(databaseId),
        entities,
        clusterUrl: sandbox.url,
        signals: {
          publish: async signal => {
            signals.push(signal);
          },
        },
        config: {
          defaults: { rolloutTimeoutSeconds: 8, blueGreenMonitorSeconds: 1 },
          engine: {
            pollIntervalMs: 100,
            lockTtlSeconds: 5,
            janitorIntervalSeconds: 1,
          },
        },
      });
      http = started.http;
      const port = (started.backend.server.address() as { port: number }).port;
      client = new RunbookClient({
        discoveryApi: {
          getBaseUrl: async () => `http://127.0.0.1:${port}/api/runbook`,
        },
        fetchApi: {
          fetch: (url, init) =>
            fetch(url, {
              ...init,
              headers: { ...(init?.headers as object), ...as(OWNER) },
            }),
        },
      });
    });

    afterAll(async () => {
      await started?.backend.stop();
      await sandbox?.stop();
    });

    it('scales the live Deployment and records the run, its log and its audit trail', async () => {
      const result = await run('scale', {
        action: 'scale',
        input: { replicas: 4 },
        reason: 'load test',
      });
      expect(result).toMatchObject({
        status: 'succeeded',
        actor: OWNER,
        before: { colour: 'blue', deployment: 'scale', replicas: 2 },
        after: {
          colour: 'blue',
          deployment: 'scale',
          replicas: 4,
          readyReplicas: 4,
        },
      });
      const d = await deployment('scale');
      expect([d.spec.replicas, d.status.readyReplicas]).toEqual([4, 4]);
      const log = await client.getRunLog(result.id);
      expect(log.items.map(l => l.message)).toContain('Succeeded');
      const audit = await client.listAudit({
        entity: 'component:default/scale',
      });
      expect(audit.items.map(i => i.event)).toEqual([
        'requested',
        'started',
        'step',
        'succeeded',
      ]);
      expect(audit.items[3]).toMatchObject({
        actor: OWNER,
        params: { replicas: 4 },
        summary: { after: { replicas: 4 } },
      });
      expect(audit.items[3].durationMs).toBeGreaterThan(0);
      expect(await client.verifyAudit()).toMatchObject({ ok: true });
      const statuses = signals
        .filter(
          x =>
            x.channel === RUNS_SIGNAL_CHANNEL && x.message.runId === result.id,
        )
        .flatMap(x => (x.message.status ? [x.message.status] : []));
      expect(statuses).toEqual(['running', 'succeeded']);
    });

    it('shows the live state from the watch cache: 50 page views reach the cluster 0 times', async () => {
      await runbookWhen('pageview', r => r.live?.readyReplicas === 2);
      // Let the watches settle (the short history can make one re-list after the seeding).
      let before = -1;
      while (before !== sandbox.requestCount) {
        before = sandbox.requestCount;
        await new Promise(r => setTimeout(r, 500));
      }
      for (let i = 0; i < 50; i++) {
        const runbook = await client.getRunbook('component:default/pageview');
        expect(runbook.live).toEqual({
          colour: 'blue',
          deployment: 'pageview',
          replicas: 2,
          readyReplicas: 2,
          image: 'nexus-cos/pageview:1.0.0',
          autoscaled: false,
        });
      }
      expect(sandbox.requestCount - before).toBe(0);

      await run('pageview', { action: 'scale', input: { replicas: 3 } });
      const scaled = await runbookWhen(
        'pageview',
        r => r.live?.readyReplicas === 3,
      );
      expect(scaled.live).toMatchObject({ replicas: 3, readyReplicas: 3 });
    });

    it('keeps credentials in a reason out of the run, its log and the audit trail', async () => {
      const secret = 'Bearer eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
      const result = await run('scale', {
        action: 'scale',
        input: { replicas: 2 },
        reason: `paged; token ${secret}`,
      });
      expect(result.reason).toBe('paged; token [redacted]');
      const exported = await client.exportAudit('jsonl', {
        entity: 'component:default/scale',
      });
      const log = await client.getRunLog(result.id);
      for (const text of [
        JSON.stringify(result),
        exported,
        JSON.stringify(log),
      ]) {
        expect(text).not.toContain('eyJ');
      }
      expect(exported).toContain('paged; token [redacted]');
    });

    it('runs a production action once its name is typed to confirm', async () => {
      const unconfirmed = await post('prod', { action: 'restart', input: {} });
      expect(unconfirmed.status).toBe(400);
      const runbook = await client.getRunbook('component:default/prod');
      expect(runbook).toMatchObject({
        production: true,
        confirmText: 'prod',
        limits: { replicas: { min: 2, max: 6 }, healthWindowSeconds: 60 },
      });
      await expect(
        run('prod', {
          action: 'scale',
          input: { replicas: 3 },
          confirm: 'prod',
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      expect((await deployment('prod')).spec.replicas).toBe(3);
    });

    it('configures the autoscaler, then refuses to scale what it manages, then deletes it', async () => {
      const hpaPath = `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/hpa-hpa`;
      await expect(
        run('hpa', {
          action: 'configure-autoscaling',
          input: {
            enabled: true,
            minReplicas: 2,
            maxReplicas: 5,
            targetCPUUtilizationPercentage: 70,
          },
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const hpa = await sandbox.get(hpaPath);
      expect(hpa.spec).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name: 'hpa' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          { resource: { name: 'cpu', target: { averageUtilization: 70 } } },
        ],
      });
      const refused = await post('hpa', {
        action: 'scale',
        input: { replicas: 3 },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(
        'A HorizontalPodAutoscaler manages hpa',
      );
      const runbook = await runbookWhen('hpa', r => !!r.live?.autoscaled);
      expect(runbook.live?.autoscaled).toBe(true);
      expect(runbook.actions.find(a => a.action === 'scale')).toMatchObject({
        allowed: false,
      });
      await expect(
        run('hpa', {
          action: 'configure-autoscaling',
          input: { enabled: false },
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      expect(await sandbox.get(hpaPath)).toBeUndefined();
      const nothing = await post('hpa', {
        action: 'configure-autoscaling',
        input: { enabled: false },
      });
      expect([nothing.status, nothing.body.error.message]).toEqual([
        400,
        'input.enabled: no HorizontalPodAutoscaler manages hpa, so there is none to delete',
      ]);
    });

    it('stops to zero remembering the count, and starts it again', async () => {
      await expect(
        run('stopstart', { action: 'stop', input: {} }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      let d = await deployment('stopstart');
      expect(d.spec.replicas).toBe(0);
      expect(d.metadata.annotations['nexus-cos.io/stopped-replicas']).toBe('2');
      const runbook = await runbookWhen(
        'stopstart',
        r => r.live?.replicas === 0,
      );
      expect(runbook.actions.find(a => a.action === 'start')).toEqual({
        action: 'start',
        allowed: true,
      });
      expect(runbook.actions.find(a => a.action === 'stop')).toMatchObject({
        allowed: false,
        reason: 'stopstart is already stopped',
      });
      await expect(
        run('stopstart', { action: 'start', input: {} }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      d = await deployment('stopstart');
      expect([d.spec.replicas, d.status.readyReplicas]).toEqual([2, 2]);
      expect(
        d.metadata.annotations?.['nexus-cos.io/stopped-replicas'],
      ).toBeUndefined();
    });

    it('restarts with a new rollout', async () => {
      const before = await deployment('restart');
      await expect(
        run('restart', { action: 'restart', input: {} }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const after = await deployment('restart');
      expect(
        after.spec.template.metadata.annotations[
          'kubectl.kubernetes.io/restartedAt'
        ],
      ).toBeDefined();
      expect(after.metadata.generation).toBeGreaterThan(
        before.metadata.generation,
      );
      expect(after.status.updatedReplicas).toBe(2);
    });

    it('rolls out a new image', async () => {
      await expect(
        run('image', {
          action: 'set-image',
          input: { image: 'nexus-cos/image:1.1.0', healthWindowSeconds: 1 },
        }),
      ).resolves.toMatchObject({
        status: 'succeeded',
        after: { image: 'nexus-cos/image:1.1.0', readyReplicas: 2 },
      });
      expect(image(await deployment('image'))).toBe('nexus-cos/image:1.1.0');
    });

    it('watches readiness only when there are no metrics to analyse, and says so', async () => {
      const result = await run('image', {
        action: 'set-image',
        input: { image: 'nexus-cos/image:1.2.0', healthWindowSeconds: 1 },
      });
      expect(result).toMatchObject({ status: 'succeeded' });
      expect(result.result).toBeUndefined();
      const log = await client.getRunLog(result.id);
      expect(log.items.map(l => l.message)).toContain(
        'Metric analysis: no metrics provider (Prometheus not configured); watching readiness only',
      );
    });

    it('rolls back an image that never becomes ready, leaving the old one serving', async () => {
      const result = await run('broken', {
        action: 'set-image',
        input: { image: 'nexus-cos/broken:broken' },
      });
      expect(result).toMatchObject({
        status: 'rolled-back',
        error: expect.stringContaining('did not finish rolling out within 8 s'),
      });
      const d = await deployment('broken');
      expect(image(d)).toBe('nexus-cos/broken:1.0.0');
      expect([d.status.readyReplicas, d.status.updatedReplicas]).toEqual([
        2, 2,
      ]);
      const audit = await client.listAudit({
        entity: 'component:default/broken',
        outcome: result.error,
      });
      expect(audit.items.map(i => i.event)).toEqual(['rolled-back']);
    });

    it('rolls back to a chosen revision', async () => {
      await run('rollback', {
        action: 'set-image',
        input: { image: 'nexus-cos/rollback:2.0.0' },
      });
      await run('rollback', {
        action: 'set-image',
        input: { image: 'nexus-cos/rollback:3.0.0' },
      });
      const revision1 = (
        await runbookWhen(
          'rollback',
          r => r.live?.image === 'nexus-cos/rollback:3.0.0',
        )
      ).live;
      expect(revision1?.image).toBe('nexus-cos/rollback:3.0.0');
      await expect(
        run('rollback', { action: 'rollback', input: { revision: 1 } }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const d = await deployment('rollback');
      expect(image(d)).toBe('nexus-cos/rollback:1.0.0');
      expect(
        d.spec.template.metadata.labels['pod-template-hash'],
      ).toBeUndefined();
      const missing = await post('rollback', {
        action: 'rollback',
        input: { revision: 99 },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(
        /^input\.revision: rollback has no revision 99; it has (\d+, )+\d+$/,
      );
    });

    it('sets resources within the ceilings', async () => {
      await expect(
        run('resources', {
          action: 'set-resources',
          input: {
            requests: { cpu: '500m' },
            limits: { cpu: '1', memory: '1Gi' },
          },
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const container = (await deployment('resources')).spec.template.spec
        .containers[0];
      expect(container.resources).toEqual({
        requests: { cpu: '500m', memory: '256Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      });
    });

    it('deploys green, refuses to decommission before the switch, switches, then decommissions blue', async () => {
      await expect(
        run('bluegreen', {
          action: 'blue-green-deploy',
          input: { image: 'nexus-cos/bluegreen:2.0.0' },
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const green = await deployment('bluegreen-green');
      expect(green.metadata.labels).toMatchObject({
        app: 'bluegreen',
        version: 'green',
        'backstage.io/kubernetes-id': 'bluegreen',
      });
      expect(image(green)).toBe('nexus-cos/bluegreen:2.0.0');
      expect(green.status.readyReplicas).toBe(2);
      expect((await service('bluegreen')).spec.selector.version).toBe('blue');

      const early = await post('bluegreen', {
        action: 'blue-green-decommission',
        input: {},
      });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toContain(
        'only after a blue-green switch has held',
      );

      await expect(
        run('bluegreen', {
          action: 'blue-green-switch',
          input: { monitorSeconds: 1 },
        }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      expect((await service('bluegreen')).spec.selector).toEqual({
        app: 'bluegreen',
        version: 'green',
      });
      const runbook = await runbookWhen(
        'bluegreen',
        r => r.live?.colour === 'green',
      );
      expect(runbook.live).toMatchObject({
        colour: 'green',
        deployment: 'bluegreen-green',
        image: 'nexus-cos/bluegreen:2.0.0',
      });

      // Scale acts on the live colour now.
      await run('bluegreen', { action: 'scale', input: { replicas: 3 } });
      expect((await deployment('bluegreen-green')).spec.replicas).toBe(3);
      expect((await deployment('bluegreen')).spec.replicas).toBe(2);

      await expect(
        run('bluegreen', { action: 'blue-green-decommission', input: {} }),
      ).resolves.toMatchObject({ status: 'succeeded', after: { idle: null } });
      expect(await deployment('bluegreen')).toBeUndefined();
      expect((await deployment('bluegreen-green')).status.readyReplicas).toBe(
        3,
      );
    });

    it('switches back when the new colour fails during the watch window', async () => {
      await run('switchback', {
        action: 'blue-green-deploy',
        input: { image: 'nexus-cos/switchback:2.0.0' },
      });
      const res = await post('switchback', {
        action: 'blue-green-switch',
        input: { monitorSeconds: 30 },
      });
      expect(res.status).toBe(202);
      const deadline = Date.now() + 10_000;
      while ((await service('switchback')).spec.selector.version !== 'green') {
        if (Date.now() > deadline) throw new Error('the switch never happened');
        await new Promise(r => setTimeout(r, 50));
      }
      // Green degrades: more replicas wanted than its broken new template can make ready.
      await sandbox.send(
        'PATCH',
        `/apis/apps/v1/namespaces/${NS}/deployments/switchback-green`,
        {
          spec: {
            replicas: 4,
            template: {
              spec: {
                containers: [
                  { name: 'switchback', image: 'nexus-cos/switchback:broken' },
                ],
              },
            },
          },
        },
        'application/strategic-merge-patch+json',
      );
      const result = await waitForRun(res.body.id);
      expect(result).toMatchObject({
        status: 'rolled-back',
        error: expect.stringMatching(
          /^switchback-green became unready while being watched/,
        ),
      });
      expect((await service('switchback')).spec.selector.version).toBe('blue');
      expect((await deployment('switchback')).status.readyReplicas).toBe(2);
    });

    it('refuses to switch traffic to an unready colour', async () => {
      const blue = await deployment('unready');
      const green = JSON.parse(JSON.stringify(blue));
      green.metadata = {
        name: 'unready-green',
        labels: { ...blue.metadata.labels, version: 'green' },
      };
      green.spec.selector.matchLabels.version = 'green';
      green.spec.template.metadata.labels.version = 'green';
      green.spec.template.spec.containers[0].image = 'nexus-cos/unready:broken';
      delete green.status;
      await sandbox.send(
        'POST',
        `/apis/apps/v1/namespaces/${NS}/deployments`,
        green,
      );
      const refused = await post('unready', {
        action: 'blue-green-switch',
        input: {},
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /^The green colour is not ready \(0\/2 replicas ready\); traffic stays on blue/,
      );
      expect((await service('unready')).spec.selector.version).toBe('blue');
      expect(
        (await client.listRuns('component:default/unready')).items,
      ).toEqual([]);
    });

    it('deletes a pod, which its Deployment replaces', async () => {
      const pods = await sandbox.get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dpod`,
      );
      const victim = pods.items[0].metadata.name;
      await expect(
        run('pod', { action: 'delete-pod', input: { pod: victim } }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const now = await sandbox.get(
        `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dpod`,
      );
      const names = now.items
        .filter((p: any) => !p.metadata.deletionTimestamp)
        .map((p: any) => p.metadata.name);
      expect(names).not.toContain(victim);
      expect((await deployment('pod')).status.readyReplicas).toBe(2);
    });

    it.each<[any, string, string[]]>([
      [
        { action: 'scale', input: { replicas: 5 } },
        'update',
        ['spec.replicas'],
      ],
      [{ action: 'stop', input: {} }, 'update', ['spec.replicas']],
      [
        { action: 'restart', input: {} },
        'update',
        [
          'spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt',
        ],
      ],
      [{ action: 'rollback', input: { revision: 1 } }, 'update', []],
      [
        { action: 'set-resources', input: { limits: { memory: '2Gi' } } },
        'update',
        ['spec.template.spec.containers[0].resources.limits.memory'],
      ],
      [
        {
          action: 'configure-autoscaling',
          input: {
            enabled: true,
            minReplicas: 2,
            maxReplicas: 4,
            targetCPUUtilizationPercentage: 60,
          },
        },
        'create',
        ['spec.maxReplicas', 'spec.scaleTargetRef.name'],
      ],
      [
        {
          action: 'blue-green-deploy',
          input: { image: 'nexus-cos/dry:2.0.0' },
        },
        'create',
        ['metadata.name', 'spec.template.spec.containers[0].image'],
      ],
      [{ action: 'delete-pod', input: { pod: '' } }, 'delete', []],
    ])(
      'dry-runs %j as a %s through the API server',
      async (body, operation, paths) => {
        if (body.action === 'delete-pod') {
          const pods = await sandbox.get(
            `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Ddry`,
          );
          body.input.pod = pods.items[0].metadata.name;
        }
        const before = await deployment('dry');
        const res = await client.dryRun('component:default/dry', body);
        // blue-green-deploy also creates the preview Service for the new colour.
        expect(res.diff.map(d => d.operation)).toEqual(
          body.action === 'blue-green-deploy'
            ? [operation, 'create']
            : [operation],
        );
        const preview = res.diff.find(d => d.kind === 'Service');
        expect(
          preview && {
            name: preview.name,
            selects: preview.changes.find(
              c => c.path === 'spec.selector.version',
            )?.after,
          },
        ).toEqual(
          body.action === 'blue-green-deploy'
            ? { name: 'dry-preview', selects: 'green' }
            : undefined,
        );
        const changed = res.diff[0].changes.map(c => c.path);
        expect(paths.filter(p => !changed.includes(p))).toEqual([]);
        expect(changed.length > 0).toBe(paths.length > 0);
        expect((await deployment('dry')).metadata.resourceVersion).toBe(
          before.metadata.resourceVersion,
        );
        expect(
          await sandbox.get(
            `/apis/apps/v1/namespaces/${NS}/deployments/dry-green`,
          ),
        ).toBeUndefined();
        expect(
          await sandbox.get(`/api/v1/namespaces/${NS}/services/dry-preview`),
        ).toBeUndefined();
        expect(
          await sandbox.get(
            `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/dry-hpa`,
          ),
        ).toBeUndefined();
      },
    );

    it('dry-runs through the API server and changes nothing', async () => {
      const before = await deployment('dry');
      const res = await post('dry', {
        action: 'set-image',
        input: { image: 'nexus-cos/dry:9.9.9' },
        dryRun: true,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        dryRun: true,
        action: 'set-image',
        diff: [
          {
            kind: 'Deployment',
            name: 'dry',
            namespace: NS,
            operation: 'update',
            changes: [
              {
                path: 'spec.template.spec.containers[0].image',
                before: 'nexus-cos/dry:1.0.0',
                after: 'nexus-cos/dry:9.9.9',
              },
            ],
          },
        ],
      });
      const after = await deployment('dry');
      expect(after.metadata.resourceVersion).toBe(
        before.metadata.resourceVersion,
      );
      expect((await client.listRuns('component:default/dry')).items).toEqual(
        [],
      );
    });

    it('cancels mid-rollout: the previous state comes back and the lock is free', async () => {
      const res = await post('cancel', {
        action: 'set-image',
        input: { image: 'nexus-cos/cancel:broken' },
      });
      expect(res.status).toBe(202);
      // Mid-rollout: the cluster already has the new template.
      const deadline = Date.now() + 10_000;
      while (image(await deployment('cancel')) !== 'nexus-cos/cancel:broken') {
        if (Date.now() > deadline) throw new Error('the rollout never started');
        await new Promise(r => setTimeout(r, 50));
      }
      const denied = await http
        .post(`/api/runbook/runs/${res.body.id}/cancel`)
        .set(as(STRANGER));
      expect(denied.status).toBe(403);
      const cancelled = await client.cancelRun(res.body.id);
      expect(cancelled).toMatchObject({
        id: res.body.id,
        cancelRequested: true,
      });
      const result = await waitForRun(res.body.id);
      expect(result).toMatchObject({
        status: 'cancelled',
        error: 'cancelled on request',
      });
      const d = await deployment('cancel');
      expect(image(d)).toBe('nexus-cos/cancel:1.0.0');
      expect(d.status.readyReplicas).toBe(2);
      expect(
        (await client.getRunbook('component:default/cancel')).activeRunId,
      ).toBeUndefined();
      await expect(
        run('cancel', { action: 'scale', input: { replicas: 3 } }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const again = await client.cancelRun(res.body.id).catch(e => e);
      expect(again).toBeInstanceOf(ResponseError);
      expect(again.statusCode).toBe(409);
      const audit = await client.listAudit({
        entity: 'component:default/cancel',
        actor: STRANGER,
      });
      expect(audit.items.map(i => [i.event, i.outcome])).toEqual([
        ['denied', 'cancel: runbook.action.execute denied'],
      ]);
    });

    it('admits exactly one of 50 parallel requests on one service; the others get 409 naming it', async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post('race', { action: 'scale', input: { replicas: 2 + (i % 4) } }),
        ),
      );
      const accepted = answers.filter(a => a.status === 202);
      const conflicts = answers.filter(a => a.status === 409);
      expect([accepted.length, conflicts.length]).toEqual([1, 49]);
      const id = accepted[0].body.id;
      for (const c of conflicts) {
        expect(c.body.error.message).toContain(
          `component:default/race is locked by run ${id}`,
        );
      }
      await waitForRun(id);
      expect(
        (await client.listRuns('component:default/race')).items,
      ).toHaveLength(1);
    });

    it('replays an idempotent request during and after the run, and refuses the key with other parameters', async () => {
      const key = { 'Idempotency-Key': 'deploy-42' };
      const body = { action: 'scale', input: { replicas: 5 } };
      const first = await post('idem', body, key);
      expect(first.status).toBe(202);
      const during = await post('idem', body, key);
      expect([during.status, during.body.id]).toEqual([200, first.body.id]);
      await waitForRun(first.body.id);
      const after = await post('idem', body, key);
      expect([after.status, after.body.id, after.body.status]).toEqual([
        200,
        first.body.id,
        'succeeded',
      ]);
      const other = await post(
        'idem',
        { action: 'scale', input: { replicas: 4 } },
        key,
      );
      expect(other.status).toBe(422);
      expect(other.body.error.message).toContain(
        'Idempotency-Key was already used with other parameters',
      );
      const viaClient = await client.startRun(
        'component:default/idem',
        { action: 'scale', input: { replicas: 5 } },
        { idempotencyKey: 'deploy-42' },
      );
      expect(viaClient).toMatchObject({
        replayed: true,
        run: { id: first.body.id },
      });
      expect(
        (await client.listRuns('component:default/idem')).items,
      ).toHaveLength(1);
    });

    it('runs actions on different services in parallel', async () => {
      const names = ['par1', 'par2', 'par3', 'par4', 'par5'];
      const answers = await Promise.all(
        names.map(n => post(n, { action: 'scale', input: { replicas: 3 } })),
      );
      expect(answers.map(a => a.status)).toEqual([202, 202, 202, 202, 202]);
      const results = await Promise.all(
        answers.map(a => waitForRun(a.body.id)),
      );
      expect(results.map(r => r.status)).toEqual(names.map(() => 'succeeded'));
      for (const n of names)
        expect((await deployment(n)).status.readyReplicas).toBe(3);
    });

    it('pauses a rollout, refuses template changes while paused, and resumes it to completion', async () => {
      const paused = await run('pause', { action: 'pause-rollout' });
      expect(paused).toMatchObject({
        status: 'succeeded',
        before: { paused: false },
      });
      expect((await deployment('pause')).spec.paused).toBe(true);
      const runbook = await runbookWhen(
        'pause',
        r => r.actions.find(a => a.action === 'resume-rollout')!.allowed,
      );
      expect(
        runbook.actions.find(a => a.action === 'pause-rollout'),
      ).toMatchObject({
        allowed: false,
        reason: 'The rollout of pause is already paused',
      });
      const refused = await post('pause', {
        action: 'set-image',
        input: { image: 'nexus-cos/pause:2.0.0' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(
        'The rollout of pause is paused',
      );

      // A change made while paused (kubectl set image) waits for the resume.
      const d = await deployment('pause');
      d.spec.template.spec.containers[0].image = 'nexus-cos/pause:2.0.0';
      await sandbox.send(
        'PUT',
        `/apis/apps/v1/namespaces/${NS}/deployments/pause`,
        d,
      );
      await new Promise(r => setTimeout(r, 500));
      expect((await deployment('pause')).status.updatedReplicas ?? 0).toBe(0);

      const resumed = await run('pause', { action: 'resume-rollout' });
      expect(resumed).toMatchObject({ status: 'succeeded' });
      const after = await deployment('pause');
      expect(after.spec.paused).toBe(false);
      expect(image(after)).toBe('nexus-cos/pause:2.0.0');
      expect(after.status.updatedReplicas).toBe(after.spec.replicas);
      expect(after.status.readyReplicas).toBe(after.spec.replicas);
      const again = await post('pause', { action: 'resume-rollout' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        'The rollout of pause is not paused',
      );
    });

    it('keeps the audit chain intact and readable for auditors only', async () => {
      const verify = await http
        .get('/api/runbook/audit/verify')
        .set(as(AUDITOR));
      expect(verify.body).toMatchObject({ ok: true });
      expect(verify.body.checked).toBeGreaterThan(40);
      const csv = await http
        .get(
          '/api/runbook/audit/export?format=csv&entity=component:default/scale',
        )
        .set(as(AUDITOR));
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text.trim().split('\n')).toHaveLength(1 + 8);
    });
  },
);
