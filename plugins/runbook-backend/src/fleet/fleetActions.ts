import {
  FLEET_CHILD_ACTION,
  FleetAction,
  FleetRunRequest,
  RUNBOOK_ACTION_DEFINITIONS,
  RunbookActionDefinition,
} from '@nexus-cos/plugin-runbook-common';
import type { LiveState } from '@nexus-cos/plugin-runbook-node';
import type { FleetOrder } from './planner';

/** How a fleet action runs on each service. */
export type FleetActionSpec = {
  action: FleetAction;
  /** The run action of each service. */
  childAction: string;
  /** From the run action's definition: a change needs a person, permission and confirm. */
  changesState: boolean;
  order: FleetOrder;
  /** Why a service is already in the state the action leaves it in, if it is. */
  alreadyDone?: (live: LiveState) => string | undefined;
  /** The run action's input, from the fleet request. */
  childInput: (
    request: Pick<FleetRunRequest, 'gracePeriodSeconds'>,
  ) => Record<string, unknown>;
};

const SPECS: Record<
  FleetAction,
  Omit<FleetActionSpec, 'action' | 'childAction' | 'changesState'>
> = {
  'start-all': {
    order: 'dependencies-first',
    alreadyDone: ({ live }) =>
      live.replicas > 0
        ? `already running (${live.deployment}: ${live.replicas} replicas)`
        : undefined,
    childInput: () => ({}),
  },
  'stop-all': {
    order: 'dependents-first',
    alreadyDone: ({ live }) =>
      live.replicas === 0
        ? `already stopped (${live.deployment}: 0 replicas)`
        : undefined,
    childInput: r =>
      r.gracePeriodSeconds === undefined
        ? {}
        : { gracePeriodSeconds: r.gracePeriodSeconds },
  },
  // Read-only: every service is examined, whatever its state.
  diagnostics: { order: 'dependencies-first', childInput: () => ({}) },
};

/**
 * The spec of a fleet action, or undefined when this backend lacks its run action (then
 * the fleet action is refused). The child action is looked up by name at run time, so a
 * fleet action works as soon as its run action is defined, with that definition's rules.
 */
export function fleetActionSpec(
  action: FleetAction,
  definitions: Record<
    string,
    RunbookActionDefinition
  > = RUNBOOK_ACTION_DEFINITIONS,
): FleetActionSpec | undefined {
  const childAction = FLEET_CHILD_ACTION[action];
  const definition = Object.prototype.hasOwnProperty.call(
    definitions,
    childAction,
  )
    ? definitions[childAction]
    : undefined;
  if (!definition) return undefined;
  return {
    action,
    childAction,
    changesState: definition.changesState,
    ...SPECS[action],
  };
}
