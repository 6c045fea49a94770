import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import knexFactory from 'knex';
import {
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { HIDDEN_SECRET_VALUE } from '../kubernetes/diff';
import { eventually, finishedRun } from './__testUtils__/securityFixtures';
import { everyRow } from './__testUtils__/sinks';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../../../..');
const NS = 'nexus-data';
const INITIAL = 'App-Initial-Password-4711';
const SECRET = `/api/v1/namespaces/${NS}/secrets/nexus-db-app`;
const SERVICE = { Authorization: mockCredentials.service.header() };
const resource = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': name },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
});
const entities = [
  resource('nexus-db'),
  resource('reports-db'),
  component('orders', { 'backstage.io/kubernetes-namespace': NS }),
];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('rotate-db-password against a real PostgreSQL (scram-sha-256)', () => {
  let dataDir: string;
  let admin: string;
  let port: number;
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;

  /** Signs in as nexus_app over TCP; the server's scram-sha-256 decides. */
  async function signIn(password: string): Promise<string> {
    const db = knexFactory({
      client: 'pg',
      connection: {
        host: '127.0.0.1',
        port,
        user: 'nexus_app',
        password,
        database: 'nexus_db',
      },
      pool: { min: 0, max: 1 },
    });
    try {
      const { rows } = await db.raw('SELECT count(*)::int AS n FROM users');
      return `ok ${rows[0].n} users`;
    } catch (error) {
      return `refused ${(error as { code?: string }).code}`;
    } finally {
      await db.destroy();
    }
  }
  const password = async () =>
    Buffer.from((await sandbox.get(SECRET)).data.password, 'base64').toString(
      'utf8',
    );
  const consumer = () =>
    sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/orders-db-client`);
  const leftovers = async () =>
    (
      await sandbox.get(
        `/api/v1/namespaces/${NS}/secrets?labelSelector=nexus-cos.io/rotation`,
      )
    ).items.map((s: any) => s.metadata.name);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-dbpw-'));
    fs.chmodSync(dataDir, 0o755);
    port = Number(
      execFileSync(path.join(ROOT, 'scripts/free-port')).toString().trim(),
    );
    admin = execFileSync(
      path.join(ROOT, 'scripts/services/dr-target.sh'),
      ['start', path.join(dataDir, 'pg'), String(port)],
      { env: { ...process.env, NEXUS_APP_PASSWORD: INITIAL } },
    )
      .toString()
      .trim();
    sandbox = await startSeededSandbox(
      entities.filter(e => e.kind === 'Component'),
    );
    await sandbox.send('POST', `/api/v1/namespaces/${NS}/secrets`, {
      metadata: { name: 'nexus-db-app' },
      type: 'Opaque',
      data: { username: b64('nexus_app'), password: b64(INITIAL) },
    });
    await sandbox.send('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
      metadata: {
        name: 'orders-db-client',
        labels: { 'backstage.io/kubernetes-id': 'orders' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'orders-db-client' } },
        template: {
          metadata: { labels: { app: 'orders-db-client' } },
          spec: {
            containers: [
              {
                name: 'orders',
                image: 'nexus-cos/orders:1.0.0',
                env: [
                  {
                    name: 'DATABASE_PASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: 'nexus-db-app', key: 'password' },
                    },
                  },
                ],
              },
            ],
          },
        },
      },
    });
    await eventually(consumer, d => d.status?.readyReplicas === 2);
  });

  afterAll(async () => {
    await sandbox?.stop();
    execFileSync(path.join(ROOT, 'scripts/services/dr-target.sh'), [
      'stop',
      path.join(dataDir, 'pg'),
    ]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with scram-sha-256 for the application role: only its password works', async () => {
    expect(await signIn(INITIAL)).toBe('ok 2000 users');
    expect(await signIn('anything else')).toBe('refused 28P01');
  });

  describe.each(databases.eachSupportedId())(
    'with the engine on %p',
    databaseId => {
      let started: Awaited<ReturnType<typeof startRunbookBackend>>;
      let knex: Awaited<ReturnType<typeof databases.init>>;
      const get = (p: string) => started.http.get(p).set(as(OWNER));
      const rotate = (
        input: object,
        headers: Record<string, string> = as(OWNER),
        extra: object = {},
        name = 'nexus-db',
      ) =>
        started.http
          .post(`/api/runbook/entities/resource/default/${name}/runs`)
          .set(headers)
          .send({ action: 'rotate-db-password', input, ...extra });
      const seen: string[] = [];

      beforeAll(async () => {
        knex = await databases.init(databaseId);
        started = await startRunbookBackend({
          knex,
          entities,
          clusterUrl: sandbox.url,
          config: {
            defaults: { rolloutTimeoutSeconds: 6 },
            drTargets: {
              'nexus-db': { connection: admin, namespace: NS },
              'reports-db': { connection: admin, namespace: NS },
            },
            security: {
              databasePasswords: {
                'nexus-db': {
                  role: 'nexus_app',
                  secret: {
                    namespace: NS,
                    name: 'nexus-db-app',
                    usernameKey: 'username',
                    passwordKey: 'password',
                  },
                },
              },
            },
          },
        });
      });

      afterAll(() => started?.backend.stop());

      it('dry-runs without showing a password', async () => {
        const res = await rotate({ secret: 'nexus-db-app' }, as(OWNER), {
          dryRun: true,
        });
        expect(res.status).toBe(200);
        expect(res.body.diff[0]).toEqual({
          kind: 'PostgreSQL role',
          name: 'nexus_app',
          namespace: `127.0.0.1:${port}/nexus_db`,
          operation: 'update',
          changes: [
            {
              path: 'password',
              before: HIDDEN_SECRET_VALUE,
              after: HIDDEN_SECRET_VALUE,
            },
          ],
        });
        expect(res.body.diff[1].changes).toEqual(
          expect.arrayContaining([
            {
              path: 'data.password',
              before: HIDDEN_SECRET_VALUE,
              after: HIDDEN_SECRET_VALUE,
            },
          ]),
        );
        expect(res.body.diff[2]).toMatchObject({
          kind: 'Deployment',
          name: 'orders-db-client',
        });
        expect(JSON.stringify(res.body)).not.toContain(await password());
      });

      it('rotates: the old password is refused, the new one works, the consumers rolled', async () => {
        const old = await password();
        seen.push(old);
        const res = await rotate({ secret: 'nexus-db-app' }, as(OWNER), {
          reason: 'quarterly',
        });
        expect(res.status).toBe(202);
        const done = await finishedRun(p => get(p), res.body.id);
        expect(done).toMatchObject({
          status: 'succeeded',
          result: { role: 'nexus_app', verified: true },
          after: {
            role: 'nexus_app',
            secret: `${NS}/nexus-db-app`,
            consumers: ['orders-db-client'],
          },
        });
        const fresh = await password();
        seen.push(fresh);
        expect(fresh).toMatch(/^[A-Za-z0-9]{32}$/);
        expect(await signIn(old)).toBe('refused 28P01');
        expect(await signIn(fresh)).toBe('ok 2000 users');
        const d = await consumer();
        expect(
          d.spec.template.metadata.annotations[
            'secret-version.nexus-cos.io/nexus-db-app'
          ],
        ).toEqual(expect.any(String));
        expect(d.status).toMatchObject({
          readyReplicas: 2,
          updatedReplicas: 2,
        });
        expect(await leftovers()).toEqual([]);
        const log = (
          await get(`/api/runbook/runs/${done.id}/log`)
        ).body.items.map((e: any) => e.message);
        expect(log).toEqual(
          expect.arrayContaining([
            'Role nexus_app has a new password',
            'Verified: role nexus_app signs in with the password from the Secret',
          ]),
        );
      });

      it('reverts the password and the Secret when a consumer fails', async () => {
        const old = await password();
        const template = (await consumer()).spec.template;
        const fault = await sandbox.send('POST', '/sandbox/faults', {
          kind: 'never-ready',
          image: 'nexus-cos/orders:*',
        });
        try {
          const res = await rotate({ secret: 'nexus-db-app' });
          expect(res.status).toBe(202);
          const attempted = await eventually(password, p => p !== old);
          seen.push(attempted);
          const done = await finishedRun(p => get(p), res.body.id);
          expect(done).toMatchObject({
            status: 'rolled-back',
            error: expect.stringContaining(
              'orders-db-client did not finish rolling out',
            ),
          });
          expect(await password()).toBe(old);
          expect(await signIn(old)).toBe('ok 2000 users');
          expect(await signIn(attempted)).toBe('refused 28P01');
          expect((await consumer()).spec.template).toEqual(template);
          expect(await leftovers()).toEqual([]);
        } finally {
          await fetch(`${sandbox.url}/sandbox/faults/${fault.id}`, {
            method: 'DELETE',
          });
        }
      });

      it('refuses a Secret whose password does not work, changing nothing', async () => {
        const old = await password();
        await sandbox.send(
          'PATCH',
          SECRET,
          { data: { password: b64('stale-password') } },
          'application/merge-patch+json',
        );
        try {
          const res = await rotate({ secret: 'nexus-db-app' });
          expect(res.status).toBe(202);
          const done = await finishedRun(p => get(p), res.body.id);
          expect(done).toMatchObject({
            status: 'failed',
            error:
              'The password in Secret nexus-data/nexus-db-app does not work for role nexus_app (password authentication failed for nexus_app); fix that before rotating',
          });
          expect(await signIn(old)).toBe('ok 2000 users');
        } finally {
          await sandbox.send(
            'PATCH',
            SECRET,
            { data: { password: b64(old) } },
            'application/merge-patch+json',
          );
        }
      });

      it.each([
        [
          'another Secret',
          { secret: 'orders-secrets' },
          as(OWNER),
          'nexus-db',
          400,
          'secret: the role nexus_app of nexus-db is configured with Secret nexus-data/nexus-db-app, not orders-secrets',
        ],
        [
          'extra input',
          { secret: 'nexus-db-app', password: 'x' },
          as(OWNER),
          'nexus-db',
          400,
          'input: Unrecognized key: "password"',
        ],
        [
          'a stranger',
          { secret: 'nexus-db-app' },
          as(STRANGER),
          'nexus-db',
          403,
          'runbook.action.execute',
        ],
        [
          'a service token',
          { secret: 'nexus-db-app' },
          SERVICE,
          'nexus-db',
          403,
          'service principals may only read',
        ],
        [
          'a target without a role',
          { secret: 'nexus-db-app' },
          as(OWNER),
          'reports-db',
          409,
          'rotate-db-password: no application role is configured for reports-db (runbook.security.databasePasswords.reports-db)',
        ],
      ])(
        'refuses %s',
        async (_name, input, headers, target, status, message) => {
          const res = await rotate(input, headers, {}, target);
          expect({
            status: res.status,
            message: res.body.error?.message,
          }).toEqual({
            status,
            message: expect.stringContaining(message),
          });
        },
      );

      it('shows the action as unavailable where no role is configured', async () => {
        const runbook = (
          await get('/api/runbook/entities/resource/default/reports-db/runbook')
        ).body;
        expect(runbook.actions).toContainEqual({
          action: 'rotate-db-password',
          allowed: false,
          reason:
            'rotate-db-password: no application role is configured for reports-db (runbook.security.databasePasswords.reports-db)',
        });
      });

      it('keeps every password it saw out of the database', async () => {
        const rows = await everyRow(knex);
        expect(rows).toContain('rotate-db-password');
        for (const p of seen) expect(rows.includes(p)).toBe(false);
      });
    },
  );
});
