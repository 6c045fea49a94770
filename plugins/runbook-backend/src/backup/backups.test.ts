import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
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
        expect({ status: res.status, error: res.body.error?.message }).toEqual(
          { status: 202, error: undefined },
        );
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
          fs.readdirSync(path.join(storeDir, 'nexus-db')).filter(f =>
            f.endsWith('.partial'),
          ),
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
        await pg.admin.raw('DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY id LIMIT 100)');
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

        const audit = (
          await get(`/audit?run=${done.id}`, AUDITOR)
        ).body.items as Array<{ event: string; summary: any; actor: string }>;
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
});
