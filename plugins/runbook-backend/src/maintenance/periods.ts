import { MaintenancePeriod } from '@nexus-cos/plugin-runbook-common';
import { DateTime } from 'luxon';

/** One occurrence window of a period, in the calendar's time zone. */
export type PeriodWindow = {
  period: MaintenancePeriod;
  from: DateTime;
  to: DateTime;
  /** `2026-12-03`, `2026-W49` or `2026-12`: names the window in item ids. */
  key: string;
};

const UNIT = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

const keyOf = (period: MaintenancePeriod, from: DateTime) => {
  if (period === 'daily') return from.toFormat('yyyy-MM-dd');
  if (period === 'weekly') return from.toFormat("kkkk-'W'WW");
  return from.toFormat('yyyy-MM');
};

/** The window of `period` that contains `at` (weeks start on Monday, ISO 8601). */
export function windowAt(
  period: MaintenancePeriod,
  at: Date,
  zone: string,
): PeriodWindow {
  const from = DateTime.fromJSDate(at, { zone }).startOf(UNIT[period]);
  return {
    period,
    from,
    to: from.plus({ [`${UNIT[period]}s`]: 1 }),
    key: keyOf(period, from),
  };
}

/** The window before `w`. */
export const previousWindow = (w: PeriodWindow, zone: string) =>
  windowAt(w.period, new Date(w.from.toMillis() - 1), zone);

/** The window a key names, when it is a key of `period`. */
export function windowOfKey(
  period: MaintenancePeriod,
  key: string,
  zone: string,
): PeriodWindow | undefined {
  let from: DateTime;
  if (period === 'daily') {
    from = DateTime.fromFormat(key, 'yyyy-MM-dd', { zone });
  } else if (period === 'weekly') {
    const m = /^(\d{4})-W(\d{2})$/.exec(key);
    from = m
      ? DateTime.fromObject(
          { weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 },
          { zone },
        )
      : DateTime.invalid('not a week');
  } else {
    from = DateTime.fromFormat(key, 'yyyy-MM', { zone });
  }
  if (!from.isValid) return undefined;
  const w = windowAt(period, from.toJSDate(), zone);
  return w.key === key ? w : undefined;
}
