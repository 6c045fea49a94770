import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import {
  DrDrillReport,
  RunbookActionInput,
} from '@nexus-cos/plugin-runbook-common';
import {
  BackupContext,
  BackupTarget,
  ExecutorContext,
  PreparedChange,
  RunbookBackupProvider,
  RunbookTarget,
  RunReportError,
} from '@nexus-cos/plugin-runbook-node';
import { redactText } from '../audit/redact';
import {
  KubernetesClients,
  apiErrorMessage,
} from '../kubernetes/KubernetesClients';
import { compareTables, scratchName } from './figures';
import type { BackupTargets } from './targets';

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * The runbook's "Disaster Recovery Testing": back up the target, restore it into a scratch
 * database, compare every table with the source at backup time, measure RTO and RPO, drop
 * the scratch database and list the namespace's ConfigMap and Secret names. The report is
 * the run's `after`, also when the drill fails.
 */
export class DrDrillExecutor {
  constructor(
    private readonly o: {
      targets: BackupTargets;
      clients: KubernetesClients;
    },
  ) {}

  prepared(target: RunbookTarget): PreparedChange {
    const { database } = this.o.targets.resolve(target.service, 'DR drill');
    return {
      before: { target: target.service, database },
      undo: null,
      plan: {},
    };
  }

  async drill(
    target: RunbookTarget,
    input: RunbookActionInput<'dr-drill'>,
    ctx: ExecutorContext,
  ): Promise<DrDrillReport> {
    const {
      config,
      target: backupTarget,
      provider,
      database,
    } = this.o.targets.resolve(target.service, 'DR drill');
    const scratch = input.scratchDatabase ?? scratchName(database, 'drill');
    if (scratch === database) {
      throw new InputError(
        'input.scratchDatabase: must not be the database being drilled',
      );
    }
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'runbook-drill-'));
    const bctx: BackupContext = {
      signal: ctx.signal,
      workDir,
      log: m => ctx.log(m),
    };
    let scratchDropped = false;
    try {
      const t0 = Date.now();
      const backup = await provider.backup(backupTarget, bctx);
      const t1 = Date.now();
      await ctx.log(
        `Backed up ${backup.tables.length} tables (${
          backup.bytes
        } bytes) in ${seconds(t1 - t0)} s`,
      );
      await provider.restore(backupTarget, backup, scratch, bctx);
      const t2 = Date.now();
      await ctx.log(`Restored into ${scratch} in ${seconds(t2 - t1)} s`);
      const restored = await provider.verify(backupTarget, scratch, bctx);
      const t3 = Date.now();
      const { tables, failure } = compareTables(
        backup.tables,
        restored,
        'The restore differs from the source',
      );
      await ctx.log(
        failure ??
          `All ${tables.length} tables match the source at backup time`,
        failure ? 'error' : 'info',
      );
      scratchDropped = await this.#drop(
        provider,
        backupTarget,
        scratch,
        bctx,
        ctx,
      );
      const report: DrDrillReport = {
        kind: 'dr-drill',
        verdict: !failure && scratchDropped ? 'pass' : 'fail',
        target: target.service,
        database,
        scratchDatabase: scratch,
        ...(failure ? { failure } : {}),
        backup: { bytes: backup.bytes, ms: t1 - t0, tool: backup.tool },
        restoreMs: t2 - t1,
        verifyMs: t3 - t2,
        rtoSeconds: seconds(t3 - t0),
        ...(backup.newestDataAt
          ? {
              newestDataAt: backup.newestDataAt,
              rpoSeconds: Math.max(
                0,
                seconds(t0 - Date.parse(backup.newestDataAt)),
              ),
              rpoColumn: backup.rpoColumn,
            }
          : {}),
        tables,
        scratchDropped,
        ...(config.namespace
          ? {
              applicationState: await this.#applicationState(
                target,
                config.namespace,
              ),
            }
          : {}),
      };
      if (report.verdict === 'fail') {
        throw new RunReportError(
          `DR drill failed: ${
            failure ?? `the scratch database ${scratch} could not be dropped`
          }`,
          report,
        );
      }
      return report;
    } finally {
      if (!scratchDropped)
        await this.#drop(provider, backupTarget, scratch, bctx, ctx);
      await rm(workDir, { recursive: true, force: true });
    }
  }

  async #drop(
    provider: RunbookBackupProvider,
    target: BackupTarget,
    scratch: string,
    bctx: BackupContext,
    ctx: ExecutorContext,
  ): Promise<boolean> {
    try {
      await provider.drop(target, scratch, bctx);
      await ctx.log(`Dropped the scratch database ${scratch}`);
      return true;
    } catch (error) {
      await ctx.log(
        `Could not drop the scratch database ${scratch}: ${redactText(
          String(error),
        )}`,
        'error',
      );
      return false;
    }
  }

  /** ConfigMap and Secret names only: their values never leave the cluster client. */
  async #applicationState(
    target: RunbookTarget,
    namespace: string,
  ): Promise<NonNullable<DrDrillReport['applicationState']>> {
    try {
      const core = this.o.clients.for(target.cluster).core;
      const [configMaps, secrets] = await Promise.all([
        core.listNamespacedConfigMap({ namespace }),
        core.listNamespacedSecret({ namespace }),
      ]);
      return {
        namespace,
        configMaps: configMaps.items.map(i => i.metadata!.name!).sort(),
        secrets: secrets.items.map(i => i.metadata!.name!).sort(),
      };
    } catch (error) {
      return {
        namespace,
        configMaps: [],
        secrets: [],
        error: apiErrorMessage(error),
      };
    }
  }
}
