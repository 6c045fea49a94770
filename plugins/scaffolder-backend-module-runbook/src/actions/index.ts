import {
  actionDefinition,
  RUNBOOK_ACTIONS,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import { createBlueGreenDecommissionAction } from './blueGreenDecommission';
import { createBlueGreenDeployAction } from './blueGreenDeploy';
import { createBlueGreenSwitchAction } from './blueGreenSwitch';
import { createChecklistAction } from './checklist';
import { createDefinedAction } from './definedAction';
import { createDeployAction } from './deploy';
import { createDrDrillAction } from './drDrill';
import type { RunbookActionOptions } from './runOperation';

/**
 * The actions written by hand, keyed by the engine action they run: their ids, inputs,
 * defaults or documentation say more than the definition does.
 */
const HAND_WRITTEN = {
  checklist: createChecklistAction,
  'set-image': createDeployAction,
  'blue-green-deploy': createBlueGreenDeployAction,
  'blue-green-switch': createBlueGreenSwitchAction,
  'blue-green-decommission': createBlueGreenDecommissionAction,
  'dr-drill': createDrDrillAction,
} satisfies Partial<Record<RunbookActionName, unknown>>;

/**
 * Every other action on a service or a Resource gets `runbook:<action>`, reads
 * included: `runbook:diagnostics` is the smoke test after a deployment.
 */
function isDerived(action: RunbookActionName): boolean {
  const { kinds } = actionDefinition(action);
  return (
    !(action in HAND_WRITTEN) &&
    (kinds.includes('Component') || kinds.includes('Resource'))
  );
}

/** Every runbook scaffolder action. */
export function createRunbookActions(options: RunbookActionOptions) {
  return [
    ...Object.values(HAND_WRITTEN).map(create => create(options)),
    ...RUNBOOK_ACTIONS.filter(isDerived).map(action =>
      createDefinedAction(action, options),
    ),
  ];
}
