import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { MaintenanceCheckContext } from '@nexus-cos/plugin-runbook-node';
import { BackupCatalog, StoredBackup } from '../../backup/BackupCatalog';
import type { DrTargetConfig } from '../../backup/config';
import { applyDatabaseMigrations } from '../../migrations';
import { RunStore } from '../../runs/RunStore';
import { backupVerificationCheck } from './backupVerification';
import { drillRecencyCheck } from './drillRecency';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-12-03T08:00:00Z');
const ctx = (now = NOW): MaintenanceCheckContext => ({
  now,
  period: { name: 'daily', from: now, to: now },
  signal: new AbortController().signal,
  logger: mockServices.logger.mock(),
});

const target = (rpoHours = 24): DrTargetConfig => ({
  connection: 'postgresql://x@127.0.0.1:1/db',
  rpoHours,
});

function backup(
  id: string,
  name: string,
  createdAt: string,
  verification?: StoredBackup['verification'],
): StoredBackup {
  return {
    id,
    target: name,
    kind: 'database',
    entityRef: `resource:default/${name}`,
    createdAt,
    sizeBytes: 1,
    sha256: 'a'.repeat(64),
    tables: [],
    runId: 'run',
    origin: 'scheduled',
    by: 'schedule:nightly',
    storeKey: `${name}/${id}.dump`,
    ...(verification ? { verification } : {}),
  };
}

const verified = (ok: boolean) => ({
  at: '2026-12-03T02:30:00.000Z',
  by: 'schedule:verify',
  ok,
  full: false,
  detail: ok ? 'sha256 matches' : 'sha256 mismatch: ...',
});

describe.each(databases.eachSupportedId())('maintenance checks on %p', id => {
  it('backup verification: the newest backup of each target within its RPO and verified', async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    const catalog = new BackupCatalog(knex);
    for (const b of [
      backup(
        'nexus-old',
        'nexus-db',
        '2026-12-02T02:00:00.000Z',
        verified(false),
      ),
      backup(
        'nexus-new',
        'nexus-db',
        '2026-12-03T02:00:00.000Z',
        verified(true),
      ),
      backup(
        'reports-new',
        'reports-db',
        '2026-12-01T02:00:00.000Z',
        verified(true),
      ),
      backup('media-new', 'media-db', '2026-12-03T03:00:00.000Z'),
      backup(
        'audit-new',
        'audit-db',
        '2026-12-03T01:00:00.000Z',
        verified(false),
      ),
    ]) {
      await catalog.insert(b);
      if (b.verification) await catalog.setVerification(b.id, b.verification);
    }
    const check = (targets: string[]) =>
      backupVerificationCheck({
        targets: new Map(targets.map(t => [t, target()])),
        backups: { listOf: (t, kind) => catalog.list(t, { kind }) },
      });

    expect(await check(['nexus-db']).run(ctx())).toEqual({
      status: 'ok',
      summary: '1 target(s): newest backup within the RPO and verified',
      evidence: {
        targets: [
          {
            target: 'nexus-db',
            rpoHours: 24,
            status: 'ok',
            backupId: 'nexus-new',
            createdAt: '2026-12-03T02:00:00.000Z',
            ageHours: 6,
            verification: {
              ok: true,
              at: '2026-12-03T02:30:00.000Z',
              by: 'schedule:verify',
              detail: 'sha256 matches',
            },
          },
        ],
      },
    });
    expect((await check(['nexus-db', 'media-db']).run(ctx())).summary).toBe(
      'media-db: not verified yet',
    );
    expect((await check(['nexus-db', 'media-db']).run(ctx())).status).toBe(
      'warn',
    );
    const failing = await check([
      'nexus-db',
      'reports-db',
      'audit-db',
      'empty-db',
    ]).run(ctx());
    expect(failing.status).toBe('fail');
    expect(failing.summary).toBe(
      'reports-db: the newest backup is 54 h old, past the RPO of 24 h; audit-db: verification failed: sha256 mismatch: ...; empty-db: no backup',
    );
    // A day later the same newest backup is past the RPO.
    expect(
      (await check(['nexus-db']).run(ctx(new Date('2026-12-04T03:00:00Z'))))
        .status,
    ).toBe('fail');
  });

  it('DR-drill recency: a drill that passed within 31 days, from the history of dr-drill runs', async () => {
    const knex = await databases.init(id);
    await applyDatabaseMigrations(knex);
    const runs = new RunStore(knex);
    const drill = async (
      runId: string,
      name: string,
      finishedAt: string,
      status: 'succeeded' | 'failed',
    ) => {
      await knex.transaction(trx =>
        runs.insert(trx, {
          id: runId,
          entityRef: `resource:default/${name}`,
          action: 'dr-drill',
          input: {},
          actor: 'schedule:monthly-drill',
          target: {
            entityRef: `resource:default/${name}`,
            cluster: '',
            namespace: '',
            service: name,
          },
          createdAt: Date.parse(finishedAt) - 60_000,
        }),
      );
      await runs.finish(runId, {
        status,
        at: Date.parse(finishedAt),
        after: { kind: 'dr-drill', rtoSeconds: 12.5, rpoSeconds: 300 },
      });
    };
    await drill('a', 'nexus-db', '2026-11-20T03:00:00Z', 'succeeded');
    await drill('b', 'reports-db', '2026-10-01T03:00:00Z', 'succeeded');
    await drill('c', 'reports-db', '2026-12-01T03:00:00Z', 'failed');

    const check = (targets: string[]) =>
      drillRecencyCheck({
        targets: new Map(targets.map(t => [t, target()])),
        runs,
        maxAgeDays: 31,
      });
    expect(await check(['nexus-db']).run(ctx())).toEqual({
      status: 'ok',
      summary: 'Every DR target drilled within 31 days',
      evidence: {
        maxAgeDays: 31,
        targets: [
          {
            target: 'nexus-db',
            ok: true,
            lastDrillAt: '2026-11-20T03:00:00.000Z',
            ageDays: 13.2,
            runId: 'a',
            by: 'schedule:monthly-drill',
            rtoSeconds: 12.5,
            rpoSeconds: 300,
          },
        ],
      },
    });
    const late = await check(['nexus-db', 'reports-db', 'new-db']).run(ctx());
    expect(late.status).toBe('fail');
    expect(late.summary).toBe(
      'reports-db: last drill 63.2 days ago, more than 31; new-db: never drilled',
    );
    // Thirty-two days after the nexus-db drill, it is due again.
    expect(
      (await check(['nexus-db']).run(ctx(new Date('2026-12-22T03:00:01Z'))))
        .status,
    ).toBe('fail');
  });
});
