import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import type {
  RunbookBackupProvider,
  RunbookBackupStore,
} from '@nexus-cos/plugin-runbook-node';
import { Knex } from 'knex';
import type { AuditTrail } from '../audit/AuditTrail';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import type { RunAdmission } from '../runs/RunAdmission';
import { BackupCatalog } from './BackupCatalog';
import { BackupService, errorText } from './BackupService';
import {
  readBackupConfig,
  readBackupSchedules,
  readDrTargets,
  readPostgresBinDir,
} from './config';
import { ConfigBackups } from './ConfigBackups';
import { DatabaseBackups } from './DatabaseBackups';
import { DirectoryBackupStore } from './DirectoryBackupStore';
import { DrDrillExecutor } from './DrDrillExecutor';
import { backupExecutors } from './executors';
import { PostgresBackupProvider } from './PostgresBackupProvider';
import { createBackupRouter } from './router';
import { BackupTargets } from './targets';

/**
 * The DR targets of `runbook.drTargets`, the drill that tests them, and the backups of
 * databases and configuration in the store (a module's, else the directory of
 * `runbook.backup.store.directory`). The backup providers of modules are tried before
 * the built-in PostgreSQL one.
 */
export function setUpBackup(deps: {
  config: Config;
  db: Knex;
  clients: KubernetesClients;
  providers: RunbookBackupProvider[];
  store?: RunbookBackupStore;
  audit: AuditTrail;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const drTargets = readDrTargets(deps.config);
  const config = readBackupConfig(deps.config);
  const targets = new BackupTargets(drTargets, [
    ...deps.providers,
    new PostgresBackupProvider(readPostgresBinDir(deps.config)),
  ]);
  const backups = new BackupService({
    catalog: new BackupCatalog(deps.db),
    store:
      deps.store ??
      (config.storeDirectory
        ? new DirectoryBackupStore(config.storeDirectory)
        : undefined),
    retention: config.retention,
    audit: deps.audit,
  });
  return {
    drTargets,
    backups,
    drDrill: new DrDrillExecutor({ targets, clients: deps.clients }),
    executors: backupExecutors({
      databases: new DatabaseBackups({ targets, backups }),
      configs: new ConfigBackups({ clients: deps.clients, backups }),
    }),
    router: createBackupRouter({
      httpAuth: deps.httpAuth,
      permissions: deps.permissions,
      backups,
    }),
  };
}

/**
 * `runbook.backup.schedules`: each a global task (once across replicas) that asks the
 * engine for a run as `schedule:<id>`. A run refused now (the entity is locked, the
 * store is missing) is logged and tried again at the next time.
 */
export async function scheduleBackupRuns(deps: {
  config: Config;
  scheduler: SchedulerService;
  admission: RunAdmission;
  logger: LoggerService;
}) {
  for (const s of readBackupSchedules(deps.config)) {
    await deps.scheduler.scheduleTask({
      id: `runbook-schedule-${s.id}`,
      ...s.schedule,
      // After the config's settings: once across replicas, whatever they say.
      scope: 'global',
      fn: async () => {
        try {
          const run = await deps.admission.requestScheduledRun({
            ref: parseEntityRef(s.entityRef),
            action: s.action,
            input: s.input,
            schedule: s.id,
          });
          deps.logger.info(
            `Schedule ${s.id} started ${s.action} run ${run.id} on ${s.entityRef}`,
          );
        } catch (error) {
          deps.logger.warn(
            `Schedule ${s.id} could not start ${s.action} on ${
              s.entityRef
            }: ${errorText(error)}`,
          );
        }
      },
    });
  }
}
