import { Config } from '@backstage/config';

/** One entry of `runbook.drTargets`. */
export type DrTargetConfig = {
  connection: string;
  /** Namespace whose ConfigMap and Secret names are the drill's application-state part. */
  namespace?: string;
  /** `table.column` whose newest value gives the RPO; detected when absent. */
  rpoColumn?: string;
};

/** The message for a DR-target Resource whose target has no connection in config. */
export const noTargetConfigured = (name: string) =>
  `DR drill: no target configured (runbook.drTargets.${name}.connection is not set)`;

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
