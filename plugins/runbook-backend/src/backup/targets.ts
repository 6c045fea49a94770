import { InputError, NotFoundError } from '@backstage/errors';
import type {
  BackupTarget,
  RunbookBackupProvider,
} from '@nexus-cos/plugin-runbook-node';
import { DrTargetConfig, noTargetConfigured } from './config';
import { databaseOf } from './figures';

/** A DR target with the provider that handles it. */
export type ResolvedTarget = {
  name: string;
  config: DrTargetConfig;
  target: BackupTarget;
  provider: RunbookBackupProvider;
  /** The database the connection names. */
  database: string;
};

/**
 * The DR targets of `runbook.drTargets` and their backup providers: those of modules
 * first, then the built-in PostgreSQL one.
 */
export class BackupTargets {
  constructor(
    readonly configs: Map<string, DrTargetConfig>,
    private readonly providers: RunbookBackupProvider[],
  ) {}

  /** The target and its provider; 404 when it is not configured, 400 when no provider fits. */
  resolve(name: string, what = 'Backups'): ResolvedTarget {
    const config = this.configs.get(name);
    if (!config) throw new NotFoundError(noTargetConfigured(name));
    const target: BackupTarget = {
      name,
      connection: config.connection,
      rpoColumn: config.rpoColumn,
    };
    const provider = this.providers.find(p => p.supports(target));
    if (!provider) {
      throw new InputError(
        `${what}: no backup provider supports the connection of ${name}`,
      );
    }
    return {
      name,
      config,
      target,
      provider,
      database: databaseOf(config.connection),
    };
  }
}
