import {
  RUNBOOK_ACTIONS,
  RunbookActionName,
  actionDefinition,
} from '@nexus-cos/plugin-runbook-common';
import type { RefusalContext } from '@nexus-cos/plugin-runbook-node';
import type { RunStore } from './RunStore';

/**
 * The entity's newest run among the actions of `action`'s family (the blue-green
 * colours), which decides whether the family's next step may run.
 */
export async function lastRunOfFamily(
  runs: RunStore,
  entityRef: string,
  action: RunbookActionName,
): Promise<RefusalContext['lastRunOfFamily']> {
  const family = actionDefinition(action).family;
  if (!family) return undefined;
  const last = await runs.latestOf(
    entityRef,
    RUNBOOK_ACTIONS.filter(a => actionDefinition(a).family === family),
  );
  return last && { action: last.action, status: last.status };
}
