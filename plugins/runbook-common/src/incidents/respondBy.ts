import { DateTime } from 'luxon';
import type { IncidentSeverity } from './schemas';

/** How long after detection an incident must be acknowledged. @public */
export type ResponseTarget = { minutes: number } | { businessDays: number };

/** Working hours that `businessDays` targets count in. @public */
export type BusinessHours = {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
  /** Local `HH:mm` at which the working day ends. */
  end: string;
  /** ISO weekdays that are working days, 1 = Monday ... 7 = Sunday. */
  days: number[];
  /** Local ISO dates (`2026-12-25`) that are not working days. */
  holidays: string[];
};

/** The severity table: response targets and the business calendar. @public */
export type ResponseTargets = {
  severities: Record<IncidentSeverity, ResponseTarget>;
  businessHours: BusinessHours;
};

/**
 * The runbook's table: P0 immediate, P1 15 minutes, P2 2 hours, P3 next business day
 * (Monday to Friday, working day ending 17:00 UTC, no holidays).
 * @public
 */
export const DEFAULT_RESPONSE_TARGETS: ResponseTargets = {
  severities: {
    P0: { minutes: 0 },
    P1: { minutes: 15 },
    P2: { minutes: 120 },
    P3: { businessDays: 1 },
  },
  businessHours: {
    timezone: 'UTC',
    end: '17:00',
    days: [1, 2, 3, 4, 5],
    holidays: [],
  },
};

function isBusinessDay(day: DateTime, hours: BusinessHours): boolean {
  return (
    hours.days.includes(day.weekday) &&
    !hours.holidays.includes(day.toISODate()!)
  );
}

/**
 * When an incident of `severity` detected at `detectedAt` must be acknowledged. A target
 * of N business days ends with the working day of the Nth business day after the day of
 * detection (in the business time zone), skipping weekends and holidays.
 * @public
 */
export function respondByDeadline(
  detectedAt: Date,
  severity: IncidentSeverity,
  targets: ResponseTargets,
): Date {
  const target = targets.severities[severity];
  if ('minutes' in target) {
    return new Date(detectedAt.getTime() + target.minutes * 60_000);
  }
  const hours = targets.businessHours;
  if (!hours.days.length) {
    throw new Error('business hours must name at least one working day');
  }
  const [hour, minute] = hours.end.split(':').map(Number);
  let day = DateTime.fromJSDate(detectedAt, { zone: hours.timezone }).startOf(
    'day',
  );
  for (let found = 0; found < target.businessDays; ) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(day, hours)) found++;
  }
  return day.set({ hour, minute }).toJSDate();
}
