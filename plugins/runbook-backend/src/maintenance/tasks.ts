import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { MaintenancePeriod } from '@nexus-cos/plugin-runbook-common';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import { Duration } from 'luxon';
import { MaintenanceConfig, TASK_ID_PATTERN } from './config';
import { PeriodWindow } from './periods';

/** A routine-maintenance task: config and check merged. */
export type MaintenanceTask = {
  id: string;
  title: string;
  period: MaintenancePeriod;
  kind: 'automated' | 'manual';
  check?: RunbookMaintenanceCheck;
  owner?: string;
  system?: string;
  due?: Duration;
  runAfter?: Duration;
};

/** When an occurrence of the task becomes overdue: `due` after the start, or the end. */
export const dueOf = (task: MaintenanceTask, w: PeriodWindow) =>
  task.due ? w.from.plus(task.due) : w.to;

/** When an automated occurrence runs: `runAfter` after the start, or at it. */
export const runAtOf = (task: MaintenanceTask, w: PeriodWindow) =>
  task.runAfter ? w.from.plus(task.runAfter) : w.from;

const ref = (value: string | undefined, kind: string, where: string) => {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind: kind }));
  } catch {
    throw new Error(`${where}: must be an entity ref, got "${value}"`);
  }
};

/**
 * The tasks of `runbook.maintenance.tasks`, with the checks they name. A check that no
 * task names does not run: the config is the calendar.
 */
export function maintenanceTasks(
  config: MaintenanceConfig,
  checks: RunbookMaintenanceCheck[],
): MaintenanceTask[] {
  const byId = new Map<string, RunbookMaintenanceCheck>();
  for (const check of checks) {
    if (!TASK_ID_PATTERN.test(check.id) || byId.has(check.id)) {
      throw new Error(
        `Maintenance check ids must be unique, lower-case letters, digits and "-": "${check.id}"`,
      );
    }
    byId.set(check.id, check);
  }
  const tasks: MaintenanceTask[] = config.tasks.map((t, i) => {
    const where = `runbook.maintenance.tasks[${i}]`;
    const check = t.check ? byId.get(t.check) : undefined;
    if (t.check && !check) {
      throw new Error(
        `${where}.check: no maintenance check "${t.check}" (known: ${[
          ...byId.keys(),
        ].join(', ')})`,
      );
    }
    return {
      id: t.id,
      title: t.title,
      period: t.period,
      kind: check ? 'automated' : 'manual',
      check,
      owner: ref(t.owner ?? config.owner, 'group', `${where}.owner`),
      system: ref(t.system, 'system', `${where}.system`),
      due: t.due,
      runAfter: t.runAfter,
    };
  });
  return tasks;
}
