import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  parseRunRequest,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';

/** One entry of `runbook.drTargets`. */
export type DrTargetConfig = {
  connection: string;
  /** Namespace whose ConfigMap and Secret names are the drill's application-state part. */
  namespace?: string;
  /** `table.column` whose newest value gives the RPO; detected when absent. */
  rpoColumn?: string;
  /** The newest backup must be younger than this, or the daily check fails. */
  rpoHours: number;
};

/** The message for a DR-target Resource whose target has no connection in config. */
export const noTargetConfigured = (name: string) =>
  `DR drill: no target configured (runbook.drTargets.${name}.connection is not set)`;

/** The RPO a DR target gets when its config names none. */
export const DEFAULT_RPO_HOURS = 24;

/** The Debian location of PostgreSQL 15's client tools. */
export const DEFAULT_POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';

/** `runbook.drTargets`, by name; a target without a connection is left out. */
export function readDrTargets(root: Config): Map<string, DrTargetConfig> {
  const targets = new Map<string, DrTargetConfig>();
  const c = root.getOptionalConfig('runbook.drTargets');
  for (const name of c?.keys() ?? []) {
    const t = c!.getConfig(name);
    const connection = t.getOptionalString('connection');
    if (!connection) continue;
    targets.set(name, {
      connection,
      namespace: t.getOptionalString('namespace'),
      rpoColumn: t.getOptionalString('rpoColumn'),
      rpoHours: t.getOptionalNumber('rpoHours') ?? DEFAULT_RPO_HOURS,
    });
  }
  return targets;
}

export function readPostgresBinDir(root: Config): string {
  return (
    root.getOptionalString('runbook.backup.postgresBinDir') ??
    DEFAULT_POSTGRES_BIN_DIR
  );
}

/** `runbook.backup.*` with its defaults. */
export type BackupConfig = {
  /** The directory of the built-in store; undefined: none configured. */
  storeDirectory?: string;
  /** Keep the newest `keepLast` backups of a target, and any younger than `keepDays`. */
  retention: { keepLast: number; keepDays: number };
};

export function readBackupConfig(root: Config): BackupConfig {
  const c = root.getOptionalConfig('runbook.backup');
  return {
    storeDirectory: c?.getOptionalString('store.directory') || undefined,
    retention: {
      keepLast: c?.getOptionalNumber('retention.keepLast') ?? 7,
      keepDays: c?.getOptionalNumber('retention.keepDays') ?? 14,
    },
  };
}

/** Why backups cannot run: no store. */
export const NO_BACKUP_STORE =
  'Backups: no store configured (set runbook.backup.store.directory)';

/** The actions a schedule may run: they read, or add to the backup store. */
export const SCHEDULABLE_ACTIONS: RunbookActionName[] = [
  'backup',
  'verify-backup',
  'config-backup',
  'dr-drill',
];

/** One entry of `runbook.backup.schedules`. */
export type BackupScheduleConfig = {
  id: string;
  entityRef: string;
  action: RunbookActionName;
  input: Record<string, unknown>;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

/**
 * `runbook.backup.schedules`, checked at startup: a schedule that names an action it may
 * not run, or an input the action refuses, stops the backend with the reason.
 */
export function readBackupSchedules(root: Config): BackupScheduleConfig[] {
  const list = root.getOptionalConfigArray('runbook.backup.schedules') ?? [];
  const ids = new Set<string>();
  return list.map((c, i) => {
    const where = `runbook.backup.schedules[${i}]`;
    const id = c.getString('id');
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id) || ids.has(id)) {
      throw new Error(
        `${where}.id: must be unique, lower-case letters, digits and "-", got "${id}"`,
      );
    }
    ids.add(id);
    const entityRef = stringifyEntityRef(parseEntityRef(c.getString('entity')));
    const action = c.getString('action') as RunbookActionName;
    if (!SCHEDULABLE_ACTIONS.includes(action)) {
      throw new Error(
        `${where}.action: must be one of ${SCHEDULABLE_ACTIONS.join(
          ', ',
        )}, got "${action}"`,
      );
    }
    const input = (c.getOptional('input') ?? {}) as Record<string, unknown>;
    const parsed = parseRunRequest({ action, input });
    if (!parsed.success) {
      throw new Error(
        `${where}.${parsed.issues
          .map(issue => `${issue.field}: ${issue.message}`)
          .join('; ')}`,
      );
    }
    return {
      id,
      entityRef,
      action,
      input: parsed.request.input as Record<string, unknown>,
      schedule: readSchedulerServiceTaskScheduleDefinitionFromConfig(
        c.getConfig('schedule'),
      ),
    };
  });
}
