import { z } from 'zod';

/** The runbook's routine-maintenance periods. @public */
export const MAINTENANCE_PERIODS = ['daily', 'weekly', 'monthly'] as const;
/** @public */
export type MaintenancePeriod = (typeof MAINTENANCE_PERIODS)[number];

/** What an automated check found. @public */
export type MaintenanceCheckStatus = 'ok' | 'warn' | 'fail';

/**
 * One item: `done`, `warn` (done, with findings) and `failed` are recorded; `pending`
 * is not yet due, `overdue` is past its due time with nothing recorded.
 * @public
 */
export type MaintenanceItemStatus =
  | 'done'
  | 'warn'
  | 'failed'
  | 'pending'
  | 'overdue';

/** One occurrence of a maintenance task in its period. @public */
export type MaintenanceItem = {
  /** Names this occurrence: `<task>@<period start>`, e.g. `verify-backups@2026-12-03`. */
  id: string;
  taskId: string;
  title: string;
  kind: 'automated' | 'manual';
  status: MaintenanceItemStatus;
  /** Who did it: the person who ticked it, or `maintenance:<check>`. */
  by?: string;
  /** When it was done or checked. */
  at?: string;
  evidence?: Record<string, unknown>;
  /** One line of what the check found, or the person's note. */
  summary?: string;
  /** The check an automated item runs. */
  check?: string;
  /** The group notified when it is overdue. */
  owner?: string;
  /** The System it is for; absent for the whole platform. */
  system?: string;
  /** When it becomes overdue. */
  due: string;
};

/** `GET /maintenance`. @public */
export type MaintenanceCalendar = {
  period: MaintenancePeriod;
  from: string;
  to: string;
  items: MaintenanceItem[];
};

/** Longest note on a ticked maintenance item. @public */
export const MAX_MAINTENANCE_NOTE_LENGTH = 2000;

/** The body of `POST /maintenance/items/:id/complete`. @public */
export const completeMaintenanceItemSchema = z.strictObject({
  note: z
    .string({ error: 'note must be a string saying what was done' })
    .trim()
    .min(1, 'note must say what was done')
    .max(
      MAX_MAINTENANCE_NOTE_LENGTH,
      `note must be at most ${MAX_MAINTENANCE_NOTE_LENGTH} characters`,
    ),
});

/** @public */
export type CompleteMaintenanceItemRequest = z.infer<
  typeof completeMaintenanceItemSchema
>;

/**
 * A maintenance item's id: the task's id, `@`, and the start of its period
 * (`2026-12-03`, `2026-W49` or `2026-12`).
 * @public
 */
export const MAINTENANCE_ITEM_ID_PATTERN =
  /^(?<task>[a-z0-9][a-z0-9-]{0,62})@(?<period>\d{4}-(?:\d{2}-\d{2}|W\d{2}|\d{2}))$/;
