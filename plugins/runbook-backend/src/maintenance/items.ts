import type {
  MaintenanceItem,
  MaintenanceItemStatus,
} from '@nexus-cos/plugin-runbook-common';
import type { MaintenanceRecord } from './MaintenanceStore';
import type { PeriodWindow } from './periods';
import { MaintenanceTask, dueOf } from './tasks';

/** An occurrence's id: the task, `@`, the window's key. */
export const itemIdOf = (task: MaintenanceTask, w: PeriodWindow) =>
  `${task.id}@${w.key}`;

/**
 * What an occurrence is at `now`: what was recorded, else `overdue` once past its due
 * time, else `pending` (also while a check runs).
 */
export function statusOf(
  task: MaintenanceTask,
  w: PeriodWindow,
  record: MaintenanceRecord | undefined,
  now: number,
): MaintenanceItemStatus {
  if (record && record.status !== 'running') return record.status;
  return now >= dueOf(task, w).toMillis() ? 'overdue' : 'pending';
}

/** One occurrence as `GET /maintenance` lists it. */
export function itemOf(
  task: MaintenanceTask,
  w: PeriodWindow,
  record: MaintenanceRecord | undefined,
  now: number,
): MaintenanceItem {
  const done = record && record.status !== 'running' ? record : undefined;
  return {
    id: itemIdOf(task, w),
    taskId: task.id,
    title: task.title,
    kind: task.kind,
    status: statusOf(task, w, record, now),
    ...(done?.by ? { by: done.by } : {}),
    ...(done?.at !== undefined ? { at: new Date(done.at).toISOString() } : {}),
    ...(done?.evidence ? { evidence: done.evidence } : {}),
    ...(done?.summary ? { summary: done.summary } : {}),
    ...(task.check ? { check: task.check.id } : {}),
    ...(task.owner ? { owner: task.owner } : {}),
    ...(task.system ? { system: task.system } : {}),
    due: dueOf(task, w).toUTC().toISO()!,
  };
}
