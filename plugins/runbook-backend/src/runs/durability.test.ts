import { TestDatabases } from '@backstage/backend-test-utils';
import { component } from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  ChildBackend,
  startChildBackend,
  callChild as call,
} from '../__testUtils__/childBackend';

jest.setTimeout(180_000);

const NS = 'nexus-durable';
const entities = ['restart', 'shared'].map(s =>
  component(s, {
    'backstage.io/kubernetes-namespace': NS,
    'nexus-cos.io/replicas': '2-6',
  }),
);
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];

describe.each(databases.eachSupportedId())(
  'durability across backend processes on %p',
  id => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let connection: unknown;
    const children: ChildBackend[] = [];

    const start = async (config: object) => {
      const child = await startChildBackend({
        connection,
        clusterUrl: sandbox.url,
        entities,
        config,
      });
      children.push(child);
      return child;
    };
    const deployment = (name: string) =>
      sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      const knex = await databases.init(id);
      connection = knex.client.config.connection;
    });

    afterAll(async () => {
      await Promise.all(children.map(c => c.kill()));
      await sandbox?.stop();
    });

    it('ends a run whose backend was killed mid-rollout: rolled back, lock free', async () => {
      const config = {
        defaults: { rolloutTimeoutSeconds: 60 },
        engine: {
          pollIntervalMs: 100,
          lockTtlSeconds: 2,
          janitorIntervalSeconds: 1,
        },
      };
      const first = await start(config);
      const started = await call(
        first,
        'POST',
        '/entities/component/default/restart/runs',
        {
          action: 'set-image',
          input: { image: 'nexus-cos/restart:broken' },
        },
      );
      expect(started.status).toBe(202);
      const deadline = Date.now() + 20_000;
      while (
        (await deployment('restart')).spec.template.spec.containers[0].image !==
        'nexus-cos/restart:broken'
      ) {
        if (Date.now() > deadline) throw new Error('the rollout never started');
        await new Promise(r => setTimeout(r, 50));
      }
      await first.kill();

      const second = await start(config);
      let run: any;
      for (const until = Date.now() + 60_000; ; ) {
        run = (await call(second, 'GET', `/runs/${started.body.id}`)).body;
        if (TERMINAL.includes(run.status) || Date.now() > until) break;
        await new Promise(r => setTimeout(r, 200));
      }
      expect(run).toMatchObject({
        status: 'rolled-back',
        error: 'backend stopped mid-run',
      });
      const d = await deployment('restart');
      expect(d.spec.template.spec.containers[0].image).toBe(
        'nexus-cos/restart:1.0.0',
      );
      expect(d.status.readyReplicas).toBe(2);
      const runbook = (
        await call(second, 'GET', '/entities/component/default/restart/runbook')
      ).body;
      expect(runbook.activeRunId).toBeUndefined();
      const next = await call(
        second,
        'POST',
        '/entities/component/default/restart/runs',
        {
          action: 'scale',
          input: { replicas: 3 },
        },
      );
      expect(next.status).toBe(202);
    });

    it('admits one of 50 requests spread over two backends on one database', async () => {
      const config = {
        engine: {
          pollIntervalMs: 100,
          lockTtlSeconds: 5,
          janitorIntervalSeconds: 1,
        },
      };
      const [a, b] = await Promise.all([start(config), start(config)]);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          call(
            i % 2 ? a : b,
            'POST',
            '/entities/component/default/shared/runs',
            {
              action: 'scale',
              input: { replicas: 3 },
            },
          ),
        ),
      );
      const statuses = answers.map(x => x.status);
      expect([
        statuses.filter(s => s === 202).length,
        statuses.filter(s => s === 409).length,
      ]).toEqual([1, 49]);
      const winner = answers.find(x => x.status === 202)!.body.id;
      expect(
        answers
          .filter(x => x.status === 409)
          .every(x => x.body.error.message.includes(winner)),
      ).toBe(true);
      const history = (
        await call(a, 'GET', '/entities/component/default/shared/runs')
      ).body;
      expect(history.items.map((r: any) => r.id)).toEqual([winner]);
      const verify = (await call(b, 'GET', '/audit/verify')).body;
      expect(verify).toMatchObject({ ok: true });
    });
  },
);
