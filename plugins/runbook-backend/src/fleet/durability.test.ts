import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ChildBackend,
  startChildBackend,
  callChild as call,
} from '../__testUtils__/childBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { AUDITOR, component } from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const NS = 'nexus-fleet-durable';
const ref = (name: string) => `component:default/${name}`;
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'restart', namespace: 'default' },
    spec: { owner: 'group:default/team-a' },
  },
  ...['r-1', 'r-2', 'r-3'].map((name, i) =>
    component(
      name,
      {
        'backstage.io/kubernetes-namespace': NS,
        'nexus-cos.io/replicas': '2-6',
      },
      { system: 'restart', dependsOn: i ? [ref(`r-${i}`)] : [] },
    ),
  ),
];
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const CONFIG = {
  defaults: { rolloutTimeoutSeconds: 60 },
  engine: { pollIntervalMs: 100, lockTtlSeconds: 2, janitorIntervalSeconds: 1 },
};

describe.each(databases.eachSupportedId())(
  'fleet runs across backend processes on %p',
  id => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let connection: unknown;
    let knex: Awaited<ReturnType<typeof databases.init>>;
    const children: ChildBackend[] = [];

    const start = async () => {
      const child = await startChildBackend({
        connection,
        clusterUrl: sandbox.url,
        entities,
        config: CONFIG,
      });
      children.push(child);
      return child;
    };
    const deploymentPath = (name: string) =>
      `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;
    async function fleetWhen(
      backend: ChildBackend,
      fleetId: string,
      until: (fleet: any) => boolean,
    ) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const { body } = await call(backend, 'GET', `/fleet/runs/${fleetId}`);
        if (until(body)) return body;
        if (Date.now() > deadline) {
          throw new Error(`fleet run ${fleetId}: ${JSON.stringify(body)}`);
        }
        await new Promise(r => setTimeout(r, 100));
      }
    }

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      knex = await databases.init(id);
      connection = knex.client.config.connection;
    });

    afterAll(async () => {
      await Promise.all(children.map(c => c.kill()));
      await sandbox?.stop();
    });

    it('finishes a fleet run whose backend was killed: follows the started run, never starts it twice, reports the rest', async () => {
      for (const name of ['r-1', 'r-2', 'r-3']) {
        await sandbox.send(
          'PATCH',
          deploymentPath(name),
          {
            metadata: {
              annotations: { 'nexus-cos.io/stopped-replicas': '2' },
            },
            spec: { replicas: 0 },
          },
          'application/merge-patch+json',
        );
      }
      // r-2's pods never become ready, so its start is in progress when the backend dies.
      await sandbox.send(
        'PATCH',
        deploymentPath('r-2'),
        [
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/image',
            value: 'nexus-cos/r-2:broken',
          },
        ],
        'application/json-patch+json',
      );

      const first = await start();
      const posted = await call(first, 'POST', '/fleet/runs', {
        action: 'start-all',
        scope: 'system:default/restart',
      });
      expect(posted.status).toBe(202);
      const fleetId = posted.body.id;
      const before = await fleetWhen(
        first,
        fleetId,
        f => f.children[1].status === 'running',
      );
      expect(before.children[0].status).toBe('succeeded');
      // Kill it once r-2's start has been applied, so there is something to roll back.
      for (const until = Date.now() + 20_000; ; ) {
        if ((await sandbox.get(deploymentPath('r-2'))).spec.replicas === 2)
          break;
        if (Date.now() > until)
          throw new Error('the start of r-2 never applied');
        await new Promise(r => setTimeout(r, 50));
      }
      await first.kill();
      // As if it died between the engine admitting r-2's run and the fleet run noting
      // it: the run is found again by its Idempotency-Key, not started a second time.
      await knex('runbook_fleet_children')
        .where({ fleet_id: fleetId, position: 1 })
        .update({ run_id: null, status: 'pending' });

      const second = await start();
      const fleet = await fleetWhen(second, fleetId, f =>
        ['succeeded', 'failed', 'cancelled'].includes(f.status),
      );
      expect(fleet).toMatchObject({
        status: 'failed',
        error:
          'The fleet run was interrupted: the backend running it stopped; did not succeed: component:default/r-2 (rolled-back). Not started: component:default/r-3. Run it again to finish: services already done are skipped.',
        children: [
          {
            entityRef: ref('r-1'),
            status: 'succeeded',
            runId: before.children[0].runId,
          },
          {
            entityRef: ref('r-2'),
            status: 'rolled-back',
            runId: before.children[1].runId,
          },
          {
            entityRef: ref('r-3'),
            status: 'not-started',
            reason: 'not started: the backend running it stopped',
          },
        ],
      });
      // Followed, not started again: r-2 has the one run, ended by the engine's janitor.
      const r2 = await call(
        second,
        'GET',
        '/entities/component/default/r-2/runs',
      );
      expect(r2.body.items.map((r: any) => [r.id, r.status, r.error])).toEqual([
        [before.children[1].runId, 'rolled-back', 'backend stopped mid-run'],
      ]);
      const r3 = await call(
        second,
        'GET',
        '/entities/component/default/r-3/runs',
      );
      expect(r3.body.items).toEqual([]);
      expect((await sandbox.get(deploymentPath('r-2'))).spec.replicas).toBe(0);
      expect((await sandbox.get(deploymentPath('r-3'))).spec.replicas).toBe(0);

      const audit = await call(
        second,
        'GET',
        `/audit?run=${fleetId}`,
        undefined,
        AUDITOR,
      );
      expect(audit.body.items.map((i: any) => i.event)).toEqual([
        'requested',
        'failed',
      ]);
      expect(
        (await call(second, 'GET', '/audit/verify', undefined, AUDITOR)).body,
      ).toMatchObject({ ok: true });
    });
  },
);
