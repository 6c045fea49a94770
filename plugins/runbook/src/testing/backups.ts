import type { Entity } from '@backstage/catalog-model';
import type {
  BackupItem,
  DrDrillReport,
  MaintenanceCalendar,
  MaintenanceItem,
  Run,
  RunbookResolution,
} from '@nexus-cos/plugin-runbook-common';
import { resolution, run } from './fakeRunbookApi';

/** The catalog's nexus-db Resource: a database with a DR target. */
export const nexusDb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'nexus-db',
    namespace: 'default',
    annotations: { 'nexus-cos.io/dr-target': 'nexus-db' },
  },
  spec: { type: 'database', owner: 'group:default/database-admin' },
};

export const NEXUS_DB_REF = 'resource:default/nexus-db';

/** nexus-db as the engine resolves it: every DR action allowed unless changed. */
export const dbResolution = (
  changes: Partial<RunbookResolution> = {},
): RunbookResolution =>
  resolution({
    entityRef: NEXUS_DB_REF,
    service: 'nexus-db',
    namespace: '',
    production: false,
    live: undefined,
    actions: [
      { action: 'dr-drill', allowed: true },
      { action: 'backup', allowed: true },
      { action: 'verify-backup', allowed: true },
      { action: 'restore', allowed: true },
    ],
    ...changes,
  });

/** A verified nightly backup of nexus-db. */
export function backupItem(changes: Partial<BackupItem> = {}): BackupItem {
  return {
    id: 'nexus-db-20261203-020000-ab12',
    target: 'nexus-db',
    kind: 'database',
    entityRef: NEXUS_DB_REF,
    createdAt: '2026-12-03T02:00:00.000Z',
    sizeBytes: 3 * 1024 * 1024,
    sha256: 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'e'.repeat(8),
    tables: [
      { name: 'public.users', rows: 2000, checksum: 'a'.repeat(32) },
      { name: 'public.sessions', rows: 3000, checksum: 'b'.repeat(32) },
    ],
    runId: 'run-backup-1',
    origin: 'scheduled',
    by: 'schedule:nexus-db-nightly',
    tool: 'pg_dump (PostgreSQL) 15.8',
    verification: {
      at: '2026-12-03T02:30:00.000Z',
      by: 'user:default/quinn',
      ok: true,
      full: true,
      detail:
        'sha256 matches; restored into a scratch database, all 2 tables match',
    },
    ...changes,
  };
}

/** A finished dr-drill run with its report. */
export function drillRun(
  id: string,
  finishedAt: string,
  report: Partial<DrDrillReport> = {},
): Run {
  return run({
    id,
    entityRef: NEXUS_DB_REF,
    action: 'dr-drill',
    input: {},
    status: report.verdict === 'fail' ? 'failed' : 'succeeded',
    finishedAt,
    after: {
      kind: 'dr-drill',
      verdict: 'pass',
      target: 'nexus-db',
      database: 'nexus_db',
      scratchDatabase: 'nexus_db_drill_20261201030000',
      backup: {
        bytes: 3 * 1024 * 1024,
        ms: 1200,
        tool: 'pg_dump (PostgreSQL) 15.8',
      },
      restoreMs: 2300,
      verifyMs: 400,
      rtoSeconds: 3.9,
      rpoSeconds: 125,
      tables: [
        {
          table: 'public.users',
          sourceRows: 2000,
          restoredRows: 2000,
          sourceChecksum: 'a'.repeat(32),
          restoredChecksum: 'a'.repeat(32),
          match: true,
        },
      ],
      scratchDropped: true,
      ...report,
    },
  });
}

/** One occurrence of a maintenance task. */
export function maintenanceItem(
  changes: Partial<MaintenanceItem> = {},
): MaintenanceItem {
  return {
    id: 'review-metrics@2026-12-03',
    taskId: 'review-metrics',
    title: 'Review metrics',
    kind: 'manual',
    status: 'pending',
    due: '2026-12-03T09:00:00.000Z',
    owner: 'group:default/devops',
    ...changes,
  };
}

/** A period of the calendar with `items`. */
export function calendar(
  period: MaintenanceCalendar['period'],
  items: MaintenanceItem[],
): MaintenanceCalendar {
  const windows = {
    daily: ['2026-12-02T23:00:00.000Z', '2026-12-03T23:00:00.000Z'],
    weekly: ['2026-11-29T23:00:00.000Z', '2026-12-06T23:00:00.000Z'],
    monthly: ['2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z'],
  };
  const [from, to] = windows[period];
  return { period, from, to, items };
}
