import { actionDefinition } from '@nexus-cos/plugin-runbook-common';
import type { Run } from '@nexus-cos/plugin-runbook-common';
import type { RunbookTarget } from '@nexus-cos/plugin-runbook-node';

/**
 * The lock of an entity in one cluster. A service that runs in two clusters is two
 * deployments that a change to one leaves alone, so changes to it in different clusters
 * may run at once; two changes in the same cluster still exclude each other. Targets
 * without a cluster lock the entity.
 */
export function entityLockKey(entityRef: string, cluster: string): string {
  return cluster ? `${entityRef}@${cluster}` : entityRef;
}

/**
 * The row in the lock table that a run holds while it executes. A change locks its
 * entity in its cluster; a read-only run holds a lease of its own, so that it blocks no
 * one and is still ended by the janitor when its backend dies.
 */
export function lockKeyOf(
  run: Pick<Run, 'id' | 'entityRef' | 'action'> & {
    target: Pick<RunbookTarget, 'cluster'>;
  },
) {
  return actionDefinition(run.action).changesState
    ? entityLockKey(run.entityRef, run.target.cluster)
    : `run:${run.id}`;
}
