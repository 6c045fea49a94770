import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import type { DrDrillReport } from '@nexus-cos/plugin-runbook-common';
import {
  BackupTarget,
  runbookBackupProviderExtensionPoint,
} from '@nexus-cos/plugin-runbook-node';
import knexFactory, { Knex } from 'knex';
import {
  OWNER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import { DEFAULT_POSTGRES_BIN_DIR } from './config';
import { PostgresBackupProvider } from './PostgresBackupProvider';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../../..');
const NS = 'nexus-dr';
const PASSWORD = 'Drill-Pa55word-never-shown';
const SEEDED_ROWS: Record<string, number> = {
  'public.content_items': 5000,
  'public.sessions': 3001,
  'public.transactions': 10000,
  'public.uploads': 5000,
  'public.users': 2000,
};

const resource = (name: string, target: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': target },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
});

const entities = [
  resource('nexus-db', 'nexus-db'),
  resource('nexus-db-corrupt', 'nexus-db-corrupt'),
  resource('orphan-db', 'orphan'),
  component('media', { 'backstage.io/kubernetes-namespace': NS }),
];

/** The built-in provider, with a restore that is then damaged: one row of one table changes. */
const corruptingProvider = (binDir: string) =>
  createBackendModule({
    pluginId: 'runbook',
    moduleId: 'test-corrupt-restore',
    register(env) {
      env.registerInit({
        deps: { backup: runbookBackupProviderExtensionPoint },
        async init({ backup }) {
          const real = new PostgresBackupProvider(binDir);
          backup.addBackupProvider({
            id: 'corrupting',
            supports: (t: BackupTarget) => t.name === 'nexus-db-corrupt',
            backup: (t, ctx) => real.backup(t, ctx),
            verify: (t, db, ctx) => real.verify(t, db, ctx),
            drop: (t, db) => real.drop(t, db),
            async restore(t, result, db, ctx) {
              await real.restore(t, result, db, ctx);
              const url = new URL(t.connection);
              url.pathname = `/${db}`;
              const scratch = knexFactory({
                client: 'pg',
                connection: url.toString(),
              });
              await scratch.raw(
                'UPDATE transactions SET amount_cents = amount_cents + 1 WHERE id = 42',
              );
              await scratch.destroy();
            },
          });
        },
      });
    },
  });

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('DR drill against a real PostgreSQL', () => {
  let dataDir: string;
  let source: Knex;
  let connection: string;
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-dr-'));
    fs.chmodSync(dataDir, 0o755);
    const port = execFileSync(path.join(ROOT, 'scripts/free-port'))
      .toString()
      .trim();
    const url = execFileSync(path.join(ROOT, 'scripts/services/dr-target.sh'), [
      'start',
      path.join(dataDir, 'pg'),
      port,
    ])
      .toString()
      .trim();
    source = knexFactory({ client: 'pg', connection: url });
    // A drill user with a password and what a DR operator needs: read all, create databases.
    await source.raw(
      `CREATE ROLE drill LOGIN CREATEDB PASSWORD '${PASSWORD}' IN ROLE pg_read_all_data`,
    );
    // Fresh data for a plausible RPO: one session seen five seconds ago.
    await source.raw(
      `INSERT INTO sessions VALUES ('fresh', 1, 'test', now() - interval '1 hour', now() - interval '5 seconds')`,
    );
    const u = new URL(url);
    u.username = 'drill';
    u.password = PASSWORD;
    connection = u.toString();
    sandbox = await startSeededSandbox(
      entities.filter(e => e.kind === 'Component'),
    );
  });

  afterAll(async () => {
    await source?.destroy();
    await sandbox?.stop();
    execFileSync(path.join(ROOT, 'scripts/services/dr-target.sh'), [
      'stop',
      path.join(dataDir, 'pg'),
    ]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe.each(databases.eachSupportedId())(
    'with the engine on %p',
    databaseId => {
      let started: Awaited<ReturnType<typeof startRunbookBackend>>;
      let http: typeof started.http;

      beforeAll(async () => {
        started = await startRunbookBackend({
          knex: await databases.init(databaseId),
          entities,
          clusterUrl: sandbox.url,
          config: {
            drTargets: {
              'nexus-db': { connection, namespace: NS },
              'nexus-db-corrupt': { connection },
            },
            backup: { postgresBinDir: DEFAULT_POSTGRES_BIN_DIR },
          },
          features: [corruptingProvider(DEFAULT_POSTGRES_BIN_DIR)],
        });
        http = started.http;
      });

      afterAll(() => started?.backend.stop());

      async function drill(name: string) {
        const res = await http
          .post(`/api/runbook/entities/resource/default/${name}/runs`)
          .set(as(OWNER))
          .send({ action: 'dr-drill', reason: 'monthly drill' });
        expect({ status: res.status, error: res.body.error?.message }).toEqual({
          status: 202,
          error: undefined,
        });
        const deadline = Date.now() + 150_000;
        for (;;) {
          const run = (
            await http.get(`/api/runbook/runs/${res.body.id}`).set(as(OWNER))
          ).body;
          if (run.finishedAt) return run;
          if (Date.now() > deadline)
            throw new Error(`drill stuck in ${run.status}`);
          await new Promise(r => setTimeout(r, 250));
        }
      }

      const scratchExists = async (name: string) =>
        (
          await source.raw('SELECT 1 FROM pg_database WHERE datname = ?', [
            name,
          ])
        ).rows.length > 0;

      it('offers a Resource with a DR target the drill, backups only with a store, and password rotation once a role is configured', async () => {
        const res = await http
          .get('/api/runbook/entities/resource/default/nexus-db/runbook')
          .set(as(OWNER));
        expect(res.status).toBe(200);
        const noStore =
          'Backups: no store configured (set runbook.backup.store.directory)';
        expect(res.body.actions).toEqual([
          { action: 'dr-drill', allowed: true },
          { action: 'backup', allowed: false, reason: noStore },
          { action: 'verify-backup', allowed: false, reason: noStore },
          { action: 'restore', allowed: false, reason: noStore },
          {
            action: 'rotate-db-password',
            allowed: false,
            reason:
              'rotate-db-password: no application role is configured for nexus-db (runbook.security.databasePasswords.nexus-db)',
          },
        ]);
      });

      it('says plainly when the target has no configuration', async () => {
        const runbook = await http
          .get('/api/runbook/entities/resource/default/orphan-db/runbook')
          .set(as(OWNER));
        expect(runbook.body.actions).toEqual(
          [
            'dr-drill',
            'backup',
            'verify-backup',
            'restore',
            'rotate-db-password',
          ].map(action => ({
            action,
            allowed: false,
            reason: expect.stringContaining('DR drill: no target configured'),
          })),
        );
        const res = await http
          .post('/api/runbook/entities/resource/default/orphan-db/runs')
          .set(as(OWNER))
          .send({ action: 'dr-drill' });
        expect(res.status).toBe(404);
        expect(res.body.error.message).toContain(
          'runbook.drTargets.orphan.connection',
        );
      });

      it('refuses a drill on a service and a scratch name that is not an identifier', async () => {
        const onService = await http
          .post('/api/runbook/entities/component/default/media/runs')
          .set(as(OWNER))
          .send({ action: 'dr-drill' });
        expect(onService.status).toBe(400);
        expect(onService.body.error.message).toContain(
          'dr-drill is not offered',
        );
        const badName = await http
          .post('/api/runbook/entities/resource/default/nexus-db/runs')
          .set(as(OWNER))
          .send({ action: 'dr-drill', input: { scratchDatabase: 'x"; DROP' } });
        expect(badName.status).toBe(400);
        expect(badName.body.error.message).toContain('input.scratchDatabase');
      });

      it('backs up, restores, verifies every table, measures RTO and RPO and drops the scratch database', async () => {
        const started_ = Date.now();
        const run = await drill('nexus-db');
        const elapsed = (Date.now() - started_) / 1000;
        expect({ status: run.status, error: run.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const report = run.after as DrDrillReport;
        expect(report.verdict).toBe('pass');
        expect(
          Object.fromEntries(report.tables.map(t => [t.table, t.restoredRows])),
        ).toEqual(SEEDED_ROWS);
        for (const t of report.tables) {
          expect(t).toMatchObject({ match: true, sourceRows: t.restoredRows });
          expect(t.restoredChecksum).toBe(t.sourceChecksum);
          expect(t.sourceChecksum).toMatch(/^[0-9a-f]{32}$/);
        }
        expect(report.backup.bytes).toBeGreaterThan(100_000);
        expect(report.backup.tool).toMatch(/^pg_dump \(PostgreSQL\) 15/);
        expect(report.rtoSeconds).toBeGreaterThan(0);
        expect(report.rtoSeconds).toBeLessThanOrEqual(elapsed);
        expect(report.rtoSeconds).toBeCloseTo(
          (report.backup.ms + report.restoreMs + report.verifyMs) / 1000,
          1,
        );
        expect(report.rpoColumn).toBe('public.sessions.last_seen_at');
        expect(report.rpoSeconds).toBeGreaterThanOrEqual(5);
        expect(report.rpoSeconds).toBeLessThan(5 + elapsed + 60);
        expect(report.scratchDropped).toBe(true);
        expect(await scratchExists(report.scratchDatabase)).toBe(false);
        expect(report.applicationState).toEqual({
          namespace: NS,
          configMaps: expect.arrayContaining(['media-config']),
          secrets: expect.arrayContaining(['media-secrets']),
        });

        // Neither the connection's password nor a Secret value reaches the run, log or audit.
        const log = await http
          .get(`/api/runbook/runs/${run.id}/log`)
          .set(as(OWNER));
        expect(log.body.items.map((l: any) => l.message).join('\n')).toContain(
          'Dropped the scratch database',
        );
        const audit = await http
          .get(
            '/api/runbook/audit/export?format=csv&entity=resource:default/nexus-db',
          )
          .set(as(OWNER));
        expect(audit.text).toContain('rtoSeconds');
        const secretValue = 'sandbox-media-db-password';
        for (const text of [
          JSON.stringify(run),
          JSON.stringify(log.body),
          audit.text,
        ]) {
          expect(text).not.toContain(PASSWORD);
          expect(text).not.toContain(secretValue);
          expect(text).not.toContain(
            Buffer.from(secretValue).toString('base64'),
          );
        }
      });

      it('fails a drill whose restore differs, naming the table, and still drops the scratch database', async () => {
        const run = await drill('nexus-db-corrupt');
        expect(run.status).toBe('failed');
        expect(run.error).toContain('public.transactions');
        const report = run.after as DrDrillReport;
        expect(report.verdict).toBe('fail');
        expect(report.failure).toContain('public.transactions');
        expect(report.tables.filter(t => !t.match).map(t => t.table)).toEqual([
          'public.transactions',
        ]);
        expect(report.scratchDropped).toBe(true);
        expect(await scratchExists(report.scratchDatabase)).toBe(false);
        const audit = await http
          .get('/api/runbook/audit?entity=resource:default/nexus-db-corrupt')
          .set(as(OWNER));
        const failed = audit.body.items.find(
          (i: any) => i.runId === run.id && i.event === 'failed',
        );
        expect(failed.outcome).toContain('public.transactions');
        expect(failed.summary.after.verdict).toBe('fail');
      });
    },
  );
});
