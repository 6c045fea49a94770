import { Config } from '@backstage/config';
import type { RunbookBackupProvider } from '@nexus-cos/plugin-runbook-node';
import type { KubernetesClients } from '../kubernetes/KubernetesClients';
import { readDrTargets, readPostgresBinDir } from './config';
import { DrDrillExecutor } from './DrDrillExecutor';
import { PostgresBackupProvider } from './PostgresBackupProvider';

/**
 * The DR targets of `runbook.drTargets` and the drill that tests them, with the backup
 * providers of modules tried before the built-in PostgreSQL one.
 */
export function setUpBackup(deps: {
  config: Config;
  clients: KubernetesClients;
  providers: RunbookBackupProvider[];
}) {
  const drTargets = readDrTargets(deps.config);
  return {
    drTargets,
    drDrill: new DrDrillExecutor({
      targets: drTargets,
      providers: [
        ...deps.providers,
        new PostgresBackupProvider(readPostgresBinDir(deps.config)),
      ],
      clients: deps.clients,
    }),
  };
}
