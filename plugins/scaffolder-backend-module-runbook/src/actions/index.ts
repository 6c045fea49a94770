import { createBlueGreenDecommissionAction } from './blueGreenDecommission';
import { createBlueGreenDeployAction } from './blueGreenDeploy';
import { createBlueGreenSwitchAction } from './blueGreenSwitch';
import { createChecklistAction } from './checklist';
import { createDeployAction } from './deploy';
import { createDrDrillAction } from './drDrill';
import { createRestartAction } from './restart';
import type { RunbookActionOptions } from './runOperation';
import { createScaleAction } from './scale';

/** Every runbook scaffolder action. */
export function createRunbookActions(options: RunbookActionOptions) {
  return [
    createChecklistAction(options),
    createDeployAction(options),
    createBlueGreenDeployAction(options),
    createBlueGreenSwitchAction(options),
    createBlueGreenDecommissionAction(options),
    createScaleAction(options),
    createRestartAction(options),
    createDrDrillAction(options),
  ];
}
