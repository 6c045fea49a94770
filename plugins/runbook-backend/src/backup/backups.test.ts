import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type {
  BackupItem,
  RestoreReport,
  VerifyBackupReport,
} from '@nexus-cos/plugin-runbook-common';
import {
  AUDITOR,
  DBA,
  OWNER,
  STRANGER,
  as,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { DEFAULT_POSTGRES_BIN_DIR } from './config';
import {
  DrTarget,
  SEEDED_ROWS,
  freePort,
  startDrTarget,
  waitForRun,
} from './__testUtils__/drTarget';

jest.setTimeout(300_000);

const PASSWORD = 'Backup-Pa55word-never-shown';

const resource = (name: string, target = name): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': target },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const sha256 = (file: string) =>
  createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('backups of a real PostgreSQL', () => {
  let pg: DrTarget;

  beforeAll(async () => {
    pg = await startDrTarget(PASSWORD);
  });
  afterAll(() => pg?.stop());

  describe.each(databases.eachSupportedId())(
    'with the engine on %p',
    databaseId => {
      let started: Awaited<ReturnType<typeof startRunbookBackend>>;
      let storeDir: string;

      beforeAll(async () => {
        storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-store-'));
        started = await startRunbookBackend({
          knex: await databases.init(databaseId),
          entities: [resource('nexus-db'), resource('stopped-db')],
          // No cluster: database backups need none.
          clusterUrl: 'http://127.0.0.1:9',
          config: {
            drTargets: {
              'nexus-db': { connection: pg.connection },
              // Nothing listens there: a database that is down.
              'stopped-db': {
                connection: `postgresql://dba:${PASSWORD}@127.0.0.1:${freePort()}/nexus_db`,
              },
            },
            backup: {
              postgresBinDir: DEFAULT_POSTGRES_BIN_DIR,
              store: { directory: storeDir },
              retention: { keepLast: 50, keepDays: 30 },
            },
          },
        });
      });
      afterAll(async () => {
        await started?.backend.stop();
        fs.rmSync(storeDir, { recursive: true, force: true });
      });

      const get = (p: string, user = OWNER) =>
        started.http.get(`/api/runbook${p}`).set(as(user));

      async function run(
        name: string,
        body: Record<string, unknown>,
        user = OWNER,
      ) {
        const res = await started.http
          .post(`/api/runbook/entities/resource/default/${name}/runs`)
          .set(as(user))
          .send(body);
        expect({ status: res.status, error: res.body.error?.message }).toEqual({
          status: 202,
          error: undefined,
        });
        return waitForRun(
          async id => (await get(`/runs/${id}`)).body,
          res.body.id,
        );
      }

      async function backup(): Promise<BackupItem> {
        const done = await run('nexus-db', {
          action: 'backup',
          reason: 'before the release',
        });
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        return done.after.backup;
      }

      const listed = async (target = 'nexus-db') =>
        (await get(`/backups?target=${target}`)).body.items as BackupItem[];

      it('backs up and lists the backup with its size, sha256, tables and run', async () => {
        const made = await backup();
        const items = await listed();
        const item = items.find(i => i.id === made.id)!;
        const file = path.join(storeDir, 'nexus-db', `${made.id}.dump`);
        expect(item).toEqual({
          id: made.id,
          target: 'nexus-db',
          kind: 'database',
          entityRef: 'resource:default/nexus-db',
          createdAt: expect.any(String),
          sizeBytes: fs.statSync(file).size,
          sha256: sha256(file),
          tables: Object.entries(SEEDED_ROWS).map(([name, rows]) => ({
            name,
            rows,
            checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
          })),
          runId: expect.any(String),
          origin: 'manual',
          by: OWNER,
          tool: expect.stringMatching(/^pg_dump \(PostgreSQL\) 15/),
          newestDataAt: expect.any(String),
        });
        expect(item.sizeBytes).toBeGreaterThan(100_000);
        const runs = (
          await get('/entities/resource/default/nexus-db/runs?action=backup')
        ).body.items;
        expect(runs.map((r: any) => r.id)).toContain(item.runId);
        // The drill's figures and the backup's agree: same snapshot rules.
        expect(
          fs
            .readdirSync(path.join(storeDir, 'nexus-db'))
            .filter(f => f.endsWith('.partial')),
        ).toEqual([]);
      });

      it('fails the verification of a corrupted file and says why', async () => {
        const made = await backup();
        const file = path.join(storeDir, 'nexus-db', `${made.id}.dump`);
        const bytes = fs.readFileSync(file);
        bytes[Math.floor(bytes.length / 2)] ^= 0xff;
        fs.writeFileSync(file, bytes);

        const done = await run('nexus-db', {
          action: 'verify-backup',
          input: { backupId: made.id },
        });
        expect(done.status).toBe('failed');
        expect(done.error).toContain(`Backup ${made.id} failed verification`);
        expect(done.error).toContain('sha256 mismatch');
        const report = done.after as VerifyBackupReport;
        expect(report).toMatchObject({
          verdict: 'fail',
          sha256: { ok: false, expected: made.sha256, actual: sha256(file) },
          contents: { ok: false },
        });
        const item = (await listed()).find(i => i.id === made.id)!;
        expect(item.verification).toEqual({
          at: expect.any(String),
          by: OWNER,
          ok: false,
          full: false,
          detail: expect.stringContaining('sha256 mismatch'),
          runId: done.id,
        });
      });

      it('verifies a backup in full: a scratch restore whose every table matches, then dropped', async () => {
        const made = await backup();
        const done = await run('nexus-db', {
          action: 'verify-backup',
          input: { backupId: made.id, full: true },
        });
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const report = done.after as VerifyBackupReport;
        expect(report.contents.ok).toBe(true);
        expect(report.contents.entries).toBeGreaterThan(5);
        expect(report.restore!.ok).toBe(true);
        expect(
          Object.fromEntries(
            report.restore!.tables.map(t => [t.table, t.restoredRows]),
          ),
        ).toEqual(SEEDED_ROWS);
        for (const t of report.restore!.tables) {
          expect(t.restoredChecksum).toBe(t.sourceChecksum);
        }
        expect(report.restore!.scratchDropped).toBe(true);
        expect(await pg.databaseExists(report.restore!.scratchDatabase)).toBe(
          false,
        );
        const item = (await listed()).find(i => i.id === made.id)!;
        expect(item.verification).toMatchObject({
          by: OWNER,
          ok: true,
          full: true,
          runId: done.id,
        });
      });

      it('restores into a scratch database whose tables match the backup, and keeps it', async () => {
        const made = await backup();
        const done = await run('nexus-db', {
          action: 'restore',
          input: { backupId: made.id, mode: 'scratch' },
        });
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const report = done.after as RestoreReport;
        expect(report.database).toMatch(/^nexus_db_restore_\d{14}$/);
        expect(report.tables.every(t => t.match)).toBe(true);
        expect(report.databaseState).toContain('nexus_db was not touched');
        expect(await pg.counts(report.database)).toEqual(SEEDED_ROWS);
        await pg.dropDatabase(report.database);
      });

      it('restores in place after a safety backup, audited as critical', async () => {
        const made = await backup();
        await pg.admin.raw(
          'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY id LIMIT 100)',
        );
        await pg.admin.raw(
          "INSERT INTO users VALUES (900001, 'late@nexus-cos.example', 'Late', 'free', now())",
        );
        const changed = await pg.counts();
        expect(changed['public.sessions']).toBe(2900);

        const done = await run(
          'nexus-db',
          {
            action: 'restore',
            input: { backupId: made.id, mode: 'in-place' },
            confirm: 'nexus-db',
            reason: 'sessions deleted by a bad migration',
          },
          DBA,
        );
        expect({ status: done.status, error: done.error }).toEqual({
          status: 'succeeded',
          error: undefined,
        });
        const report = done.after as RestoreReport;
        expect(await pg.counts()).toEqual(SEEDED_ROWS);
        expect(report.tables.every(t => t.match)).toBe(true);
        expect(report.databaseState).toContain(
          `nexus_db holds backup ${made.id}`,
        );

        const safety = (await listed()).find(
          i => i.id === report.safetyBackupId,
        )!;
        expect(safety).toMatchObject({
          origin: 'safety',
          safetyFor: done.id,
          by: DBA,
        });
        expect(
          Object.fromEntries(safety.tables.map(t => [t.name, t.rows])),
        ).toEqual(changed);

        const audit = (await get(`/audit?run=${done.id}`, AUDITOR)).body
          .items as Array<{ event: string; summary: any; actor: string }>;
        expect(audit.map(a => a.event)).toEqual(
          expect.arrayContaining(['requested', 'started', 'succeeded']),
        );
        for (const row of audit.filter(a => a.event !== 'step')) {
          expect(row.summary.severity).toBe('critical');
          expect(row.actor).toBe(DBA);
        }
      });

      it('says exactly what state the database is in when an in-place restore fails', async () => {
        const made = await backup();
        // Since the backup, a view came to depend on users: the restore cannot drop it.
        await pg.admin.raw(
          "CREATE VIEW premium_users AS SELECT id, email FROM users WHERE plan = 'premium'",
        );
        await pg.admin.raw(
          "INSERT INTO users VALUES (900002, 'new@nexus-cos.example', 'New', 'premium', now())",
        );
        const before = await pg.counts();
        expect(before['public.users']).toBe(SEEDED_ROWS['public.users'] + 1);
        try {
          const done = await run(
            'nexus-db',
            {
              action: 'restore',
              input: { backupId: made.id, mode: 'in-place' },
              confirm: 'nexus-db',
              reason: 'drill of a failing restore',
            },
            DBA,
          );
          expect(done.status).toBe('failed');
          const report = done.after as RestoreReport;
          expect(report.failure).toContain('premium_users');
          expect(report.databaseState).toBe(
            `nexus_db is unchanged: the restore was rolled back, and all 5 tables still match the safety backup ${report.safetyBackupId} taken just before it.`,
          );
          expect(done.error).toContain(report.databaseState);
          expect(await pg.counts()).toEqual(before);
        } finally {
          await pg.admin.raw('DROP VIEW premium_users');
          await pg.admin.raw('DELETE FROM users WHERE id = 900002');
        }
      });

      const denied = (
        actor: string,
        action: string,
        outcome: string,
        extra: object = {},
      ) => [{ event: 'denied', actor, action, outcome, ...extra }];
      it.each([
        [
          'a stranger',
          STRANGER,
          { action: 'backup' },
          403,
          'runbook.action.execute',
          denied(STRANGER, 'backup', 'runbook.action.execute denied'),
        ],
        [
          'a service token',
          'service',
          { action: 'backup' },
          403,
          'service principals may only read',
          denied(
            'service:external:test-service',
            'backup',
            'a person must sign in; service principals may only read',
          ),
        ],
        [
          'the owner, in place (only a DBA may)',
          OWNER,
          {
            action: 'restore',
            input: { backupId: 'latest-made', mode: 'in-place' },
            confirm: 'nexus-db',
            reason: 'rollback',
          },
          403,
          'runbook.restore.inplace',
          denied(OWNER, 'restore', 'runbook.restore.inplace denied', {
            summary: { severity: 'critical' },
          }),
        ],
        [
          'the DBA, in place without typing the name',
          DBA,
          {
            action: 'restore',
            input: { backupId: 'latest-made', mode: 'in-place' },
            reason: 'rollback',
          },
          400,
          'confirm: Restoring in place replaces every table of the database with the backup’s; type "nexus-db" to confirm',
          [],
        ],
        [
          'the DBA, in place without a reason',
          DBA,
          {
            action: 'restore',
            input: { backupId: 'latest-made', mode: 'in-place' },
            confirm: 'nexus-db',
            reason: '  ',
          },
          400,
          'reason: Restoring in place replaces every table',
          [],
        ],
        [
          'an id that is not one',
          OWNER,
          { action: 'verify-backup', input: { backupId: '../../etc/passwd' } },
          400,
          'input.backupId: must be a backup id',
          [],
        ],
        [
          'an unknown id',
          OWNER,
          {
            action: 'verify-backup',
            input: { backupId: 'nexus-db-19700101-000000-0000' },
          },
          400,
          'input.backupId: nexus-db has no database backup nexus-db-19700101-000000-0000',
          [],
        ],
        [
          'another mode',
          OWNER,
          {
            action: 'restore',
            input: { backupId: 'latest-made', mode: 'over' },
          },
          400,
          'input.mode: must be one of: scratch, in-place',
          [],
        ],
        [
          'an unknown field',
          OWNER,
          { action: 'backup', input: { compress: 9 } },
          400,
          'input',
          [],
        ],
        [
          'a configuration backup of a database',
          OWNER,
          { action: 'config-backup' },
          400,
          'config-backup is not offered by the runbook of resource:default/nexus-db',
          [],
        ],
      ])(
        'refuses %s, changing nothing and auditing only denials',
        async (
          _,
          user,
          body: Record<string, any>,
          status,
          message,
          audited,
        ) => {
          const made = (await listed())[0] ?? (await backup());
          const request = JSON.parse(
            JSON.stringify(body).replace('latest-made', made.id),
          );
          const before = (await listed()).length;
          const head =
            (await get('/audit?order=desc&limit=1', AUDITOR)).body.items[0]
              ?.seq ?? 0;
          const res = await started.http
            .post('/api/runbook/entities/resource/default/nexus-db/runs')
            .set(
              user === 'service'
                ? { Authorization: mockCredentials.service.header() }
                : as(user),
            )
            .send(request);
          expect(res.status).toBe(status);
          expect(res.body.error.message).toContain(message);
          expect(res.body.error.stack).toBeUndefined();
          expect((await listed()).length).toBe(before);
          const rows = (await get(`/audit?cursor=${head}`, AUDITOR)).body.items;
          expect(rows).toEqual(
            audited.map(row => expect.objectContaining(row)),
          );
        },
      );

      it('shows an in-place restore as a dry run: the tables it would replace, nothing changed', async () => {
        const made = await backup();
        await pg.admin.raw('DELETE FROM uploads WHERE id <= 3');
        try {
          const res = await started.http
            .post('/api/runbook/entities/resource/default/nexus-db/runs')
            .set(as(DBA))
            .send({
              action: 'restore',
              input: { backupId: made.id, mode: 'in-place' },
              dryRun: true,
            });
          expect(res.status).toBe(200);
          expect(res.body.diff).toEqual([
            {
              kind: 'Database',
              name: 'nexus_db',
              namespace: 'nexus-db',
              operation: 'update',
              changes: [
                {
                  path: 'safetyBackup',
                  after: 'taken first, of the data replaced',
                },
                { path: 'public.uploads.rows', before: 4997, after: 5000 },
              ],
            },
          ]);
          expect((await pg.counts())['public.uploads']).toBe(4997);
        } finally {
          await pg.admin.raw(
            `INSERT INTO uploads
             SELECT i, 1 + (i * 3) % 5000, 1 + (i * 11) % 2000, 1048576 + (i * 7919) % 524288000,
                    (ARRAY['complete', 'complete', 'complete', 'processing', 'failed'])[1 + i % 5],
                    timestamptz '2025-02-01 00:00+00' + i * interval '9 minutes'
             FROM generate_series(1, 3) AS i`,
          );
        }
      });

      it('fails cleanly when the database is down, listing no backup and leaving no file', async () => {
        const res = await started.http
          .post('/api/runbook/entities/resource/default/stopped-db/runs')
          .set(as(OWNER))
          .send({ action: 'backup' });
        expect(res.status).toBe(202);
        const done = await waitForRun(
          async id => (await get(`/runs/${id}`)).body,
          res.body.id,
        );
        expect(done.status).toBe('failed');
        expect(done.error).toMatch(
          /^Backup of stopped-db failed, nothing was stored: .*ECONNREFUSED/,
        );
        expect(done.error).not.toContain(PASSWORD);
        expect(done.after).toMatchObject({ kind: 'backup', verdict: 'fail' });
        expect(await listed('stopped-db')).toEqual([]);
        expect(fs.existsSync(path.join(storeDir, 'stopped-db'))).toBe(false);
      });
    },
  );
  describe.each(databases.eachSupportedId())(
    'retention, with the engine on %p',
    databaseId => {
      it('prunes the backups past the newest two, file and listing, on the audit trail', async () => {
        const storeDir = fs.mkdtempSync(
          path.join(os.tmpdir(), 'runbook-kept-'),
        );
        const started = await startRunbookBackend({
          knex: await databases.init(databaseId),
          entities: [resource('nexus-db')],
          clusterUrl: 'http://127.0.0.1:9',
          config: {
            drTargets: { 'nexus-db': { connection: pg.connection } },
            backup: {
              postgresBinDir: DEFAULT_POSTGRES_BIN_DIR,
              store: { directory: storeDir },
              // Age alone keeps nothing: only the newest two stay.
              retention: { keepLast: 2, keepDays: 0 },
            },
          },
        });
        try {
          const ids: string[] = [];
          const runs: any[] = [];
          for (let i = 0; i < 3; i++) {
            const res = await started.http
              .post('/api/runbook/entities/resource/default/nexus-db/runs')
              .set(as(OWNER))
              .send({ action: 'backup' });
            const done = await waitForRun(
              async id =>
                (
                  await started.http
                    .get(`/api/runbook/runs/${id}`)
                    .set(as(OWNER))
                ).body,
              res.body.id,
            );
            expect(done.status).toBe('succeeded');
            ids.push(done.after.backup.id);
            runs.push(done);
          }
          expect(runs[2].after.pruned).toEqual([ids[0]]);
          const listed = (
            await started.http
              .get('/api/runbook/backups?target=nexus-db')
              .set(as(OWNER))
          ).body.items.map((b: BackupItem) => b.id);
          expect(listed).toEqual([ids[2], ids[1]]);
          expect(
            fs.readdirSync(path.join(storeDir, 'nexus-db')).sort(),
          ).toEqual([`${ids[1]}.dump`, `${ids[2]}.dump`].sort());
          const audit = (
            await started.http
              .get(`/api/runbook/audit?run=${runs[2].id}`)
              .set(as(AUDITOR))
          ).body.items;
          expect(audit).toContainEqual(
            expect.objectContaining({
              event: 'step',
              actor: OWNER,
              outcome: 'pruned 1 backup(s) past retention',
              summary: {
                pruned: [ids[0]],
                retention: { keepLast: 2, keepDays: 0 },
              },
            }),
          );
        } finally {
          await started.backend.stop();
          fs.rmSync(storeDir, { recursive: true, force: true });
        }
      });
    },
  );
});
