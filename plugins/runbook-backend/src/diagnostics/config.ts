import { Config } from '@backstage/config';

/** Kinds of dependency a Resource's `nexus-cos.io/dependency-check` names. */
export const DEPENDENCY_CHECKS = ['postgres', 'redis'] as const;
export type DependencyCheck = (typeof DEPENDENCY_CHECKS)[number];

/** `runbook.dependencies.<resource name>.connection`, by Resource name. */
export function readDependencyConnections(root: Config): Map<string, string> {
  const connections = new Map<string, string>();
  const c = root.getOptionalConfig('runbook.dependencies');
  for (const name of c?.keys() ?? []) {
    const connection = c!.getOptionalString(`${name}.connection`);
    if (connection) connections.set(name, connection);
  }
  return connections;
}
