import { TestDatabases } from '@backstage/backend-test-utils';
import { component } from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  ChildBackend,
  startChildBackend,
  callChild as call,
} from '../__testUtils__/childBackend';
import { eventually } from '../__testUtils__/eventually';

jest.setTimeout(240_000);

const NS = 'nexus-vault';
const entities = [
  component('vault', { 'backstage.io/kubernetes-namespace': NS }),
];
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const TERMINAL = ['succeeded', 'failed', 'rolled-back', 'cancelled'];
const config = {
  defaults: { rolloutTimeoutSeconds: 120 },
  engine: { pollIntervalMs: 100, lockTtlSeconds: 2, janitorIntervalSeconds: 1 },
};

describe.each(databases.eachSupportedId())(
  'a rotation whose backend dies, on %p',
  id => {
    let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
    let connection: unknown;
    const children: ChildBackend[] = [];
    const start = async () => {
      const child = await startChildBackend({
        connection,
        clusterUrl: sandbox.url,
        entities,
        config,
      });
      children.push(child);
      return child;
    };
    const secret = () =>
      sandbox.get(`/api/v1/namespaces/${NS}/secrets/vault-secrets`);
    const leftovers = async () =>
      (
        await sandbox.get(
          `/api/v1/namespaces/${NS}/secrets?labelSelector=nexus-cos.io/rotation`,
        )
      ).items.map((s: any) => s.metadata.name);

    beforeAll(async () => {
      sandbox = await startSeededSandbox(entities);
      const knex = await databases.init(id);
      connection = knex.client.config.connection;
    });

    afterAll(async () => {
      await Promise.all(children.map(c => c.kill()));
      await sandbox?.stop();
    });

    it('ends consistent: the janitor restores the previous value and the consumers, and deletes the backup', async () => {
      const original = (await secret()).data.API_KEY;
      const template = (
        await sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/vault`)
      ).spec.template;
      // The consumers' new pods never become ready, so the run waits in converge.
      const fault = await sandbox.send('POST', '/sandbox/faults', {
        kind: 'never-ready',
        image: 'nexus-cos/vault:*',
      });
      const first = await start();
      const started = await call(
        first,
        'POST',
        '/entities/component/default/vault/runs',
        {
          action: 'rotate-secret',
          input: { secret: 'vault-secrets', key: 'API_KEY' },
        },
      );
      expect(started.status).toBe(202);
      await eventually(
        async () => ({
          value: (await secret()).data.API_KEY,
          left: await leftovers(),
        }),
        s =>
          s.value !== original &&
          s.left.includes('vault-secrets-rotation-backup'),
      );
      await first.kill();
      await fetch(`${sandbox.url}/sandbox/faults/${fault.id}`, {
        method: 'DELETE',
      });

      const second = await start();
      const run = await eventually(
        async () =>
          (
            await call(second, 'GET', `/runs/${started.body.id}`)
          ).body,
        r => TERMINAL.includes(r.status),
        90_000,
      );
      expect(run).toMatchObject({
        status: 'rolled-back',
        error: 'backend stopped mid-run',
      });
      expect((await secret()).data.API_KEY).toBe(original);
      expect(await leftovers()).toEqual([]);
      const d = await sandbox.get(
        `/apis/apps/v1/namespaces/${NS}/deployments/vault`,
      );
      expect(d.spec.template).toEqual(template);
      expect(d.status).toMatchObject({
        readyReplicas: d.spec.replicas,
        updatedReplicas: d.spec.replicas,
      });
    });
  },
);
