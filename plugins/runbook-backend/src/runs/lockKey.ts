import { actionDefinition } from '@nexus-cos/plugin-runbook-common';
import type { Run } from '@nexus-cos/plugin-runbook-common';

/**
 * The row in the lock table that a run holds while it executes. A change locks its
 * entity; a read-only run holds a lease of its own, so that it blocks no one and is
 * still ended by the janitor when its backend dies.
 */
export function lockKeyOf(run: Pick<Run, 'id' | 'entityRef' | 'action'>) {
  return actionDefinition(run.action).changesState
    ? run.entityRef
    : `run:${run.id}`;
}
