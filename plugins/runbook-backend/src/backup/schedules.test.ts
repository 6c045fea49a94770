import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import type { BackupItem } from '@nexus-cos/plugin-runbook-common';
import { recordingSinks } from '../__testUtils__/recording';
import {
  AUDITOR,
  OWNER,
  as,
  startRunbookBackend,
} from '../__testUtils__/testBackend';
import { DEFAULT_POSTGRES_BIN_DIR, readBackupSchedules } from './config';
import { DrTarget, startDrTarget } from './__testUtils__/drTarget';

jest.setTimeout(120_000);

const nexusDb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'nexus-db',
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': 'nexus-db' },
  },
  spec: { type: 'database', owner: 'group:default/team-a' },
};

const schedule = (entry: JsonObject) =>
  readBackupSchedules(
    new ConfigReader({ runbook: { backup: { schedules: [entry] } } }),
  );
const every = { frequency: { cron: '0 2 * * *' }, timeout: { minutes: 30 } };

describe('backup schedules in config', () => {
  it('reads a schedule, with the cron of Backstage’s scheduler', () => {
    expect(
      schedule({
        id: 'nexus-db-verify',
        entity: 'resource:default/nexus-db',
        action: 'verify-backup',
        input: { backupId: 'latest', full: true },
        schedule: every,
      }),
    ).toEqual([
      {
        id: 'nexus-db-verify',
        entityRef: 'resource:default/nexus-db',
        action: 'verify-backup',
        input: { backupId: 'latest', full: true },
        schedule: {
          frequency: { cron: '0 2 * * *' },
          timeout: { minutes: 30 },
        },
      },
    ]);
  });

  it.each([
    [
      { action: 'restore', input: { backupId: 'latest', mode: 'in-place' } },
      'runbook.backup.schedules[0].action: must be one of backup, verify-backup, config-backup, dr-drill, got "restore"',
    ],
    [
      { action: 'verify-backup', input: {} },
      'runbook.backup.schedules[0].input.backupId',
    ],
    [
      { id: 'Nightly Backup' },
      'runbook.backup.schedules[0].id: must be unique',
    ],
  ])(
    'stops the backend on a schedule it may not run: %j',
    (change, message) => {
      expect(() =>
        schedule({
          id: 'nightly',
          entity: 'resource:default/nexus-db',
          action: 'backup',
          schedule: every,
          ...change,
        }),
      ).toThrow(message);
    },
  );
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('scheduled backups with two backend instances', () => {
  let pg: DrTarget;
  beforeAll(async () => {
    pg = await startDrTarget('Sched-Pa55word-never-shown');
  });
  afterAll(() => pg?.stop());

  it.each(databases.eachSupportedId())(
    'backs up once across two instances, as the schedule, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-sched-'));
      const config = {
        drTargets: { 'nexus-db': { connection: pg.connection } },
        backup: {
          postgresBinDir: DEFAULT_POSTGRES_BIN_DIR,
          store: { directory: storeDir },
          schedules: [
            {
              id: 'nexus-db-nightly',
              entity: 'resource:default/nexus-db',
              action: 'backup',
              // Due once at startup, then not again within the test: every instance
              // that ran it by itself would add a backup.
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
            },
          ],
        },
      };
      const sinks = [recordingSinks(), recordingSinks()];
      const backends = [];
      try {
        // One after the other: each applies the migrations at startup.
        for (const s of sinks) {
          backends.push(
            await startRunbookBackend({
              knex,
              entities: [nexusDb],
              clusterUrl: 'http://127.0.0.1:9',
              config,
              features: s.features,
            }),
          );
        }
        const [one, two] = backends;
        const list = async () =>
          (
            await two.http
              .get('/api/runbook/backups?target=nexus-db')
              .set(as(OWNER))
          ).body.items as BackupItem[];
        const deadline = Date.now() + 60_000;
        while ((await list()).length === 0) {
          if (Date.now() > deadline) throw new Error('no scheduled backup');
          await new Promise(r => setTimeout(r, 250));
        }
        // Both schedulers poll the task at least once more (every 5 s at most).
        await new Promise(r => setTimeout(r, 6000));

        const items = await list();
        expect(items).toEqual([
          expect.objectContaining({
            by: 'schedule:nexus-db-nightly',
            origin: 'scheduled',
          }),
        ]);
        const attempts = sinks
          .flatMap(s => s.messages)
          .filter(m => m.message.startsWith('Schedule nexus-db-nightly '));
        expect(attempts.map(m => m.message)).toEqual([
          `Schedule nexus-db-nightly started backup run ${items[0].runId} on resource:default/nexus-db`,
        ]);
        // Both instances did register the task.
        for (const s of sinks) {
          expect(
            s.messages.some(m =>
              m.message.startsWith(
                'Registered scheduled task: runbook-schedule-nexus-db-nightly',
              ),
            ),
          ).toBe(true);
        }
        const run = (
          await one.http
            .get(`/api/runbook/runs/${items[0].runId}`)
            .set(as(OWNER))
        ).body;
        expect(run).toMatchObject({
          action: 'backup',
          actor: 'schedule:nexus-db-nightly',
          status: 'succeeded',
        });
        const audit = (
          await one.http
            .get(`/api/runbook/audit?run=${items[0].runId}`)
            .set(as(AUDITOR))
        ).body.items;
        expect(audit[0]).toMatchObject({
          event: 'requested',
          actor: 'schedule:nexus-db-nightly',
          summary: { schedule: 'nexus-db-nightly' },
        });
      } finally {
        await Promise.all(backends.map(b => b.backend.stop()));
        fs.rmSync(storeDir, { recursive: true, force: true });
      }
    },
  );
});
