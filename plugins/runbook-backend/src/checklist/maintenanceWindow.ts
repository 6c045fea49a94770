import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];

/** One weekly window, in local time of its zone; `end` before `start` crosses midnight. */
export type MaintenanceWindow = {
  days: Day[];
  start: string;
  end: string;
  timezone: string;
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `runbook.checklist.maintenanceWindows`; undefined when none are configured. */
export function readMaintenanceWindows(
  root: Config,
): MaintenanceWindow[] | undefined {
  const list = root.getOptionalConfigArray(
    'runbook.checklist.maintenanceWindows',
  );
  return list?.map((c, i) => {
    const at = `runbook.checklist.maintenanceWindows[${i}]`;
    const days = c.getStringArray('days').map(d => d.toLowerCase());
    const bad = days.find(d => !(DAYS as readonly string[]).includes(d));
    if (bad) {
      throw new InputError(
        `${at}.days: "${bad}" is not one of ${DAYS.join(', ')}`,
      );
    }
    const start = c.getString('start');
    const end = c.getString('end');
    for (const [key, value] of [
      ['start', start],
      ['end', end],
    ]) {
      if (!HH_MM.test(value))
        throw new InputError(`${at}.${key}: "${value}" is not HH:mm`);
    }
    const timezone = c.getOptionalString('timezone') ?? 'UTC';
    try {
      Intl.DateTimeFormat('en-US', { timeZone: timezone }).format();
    } catch {
      throw new InputError(
        `${at}.timezone: "${timezone}" is not an IANA time zone`,
      );
    }
    return { days: days as Day[], start, end, timezone };
  });
}

function localDayAndTime(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find(p => p.type === type)!.value;
  return {
    day: DAYS.indexOf(get('weekday').toLowerCase() as Day),
    time: `${get('hour')}:${get('minute')}`,
  };
}

const describe = (w: MaintenanceWindow) =>
  `${w.days.join(',')} ${w.start}-${w.end} ${w.timezone}`;

/** Whether `at` falls inside one of the windows, and which, in words for the evidence. */
export function checkMaintenanceWindow(
  windows: MaintenanceWindow[] | undefined,
  at: Date,
): { inside: boolean; detail: string } {
  if (!windows) {
    return {
      inside: true,
      detail:
        'No maintenance windows are configured (runbook.checklist.maintenanceWindows), so every time is inside one',
    };
  }
  for (const w of windows) {
    const { day, time } = localDayAndTime(at, w.timezone);
    const today = w.days.includes(DAYS[day]);
    const yesterday = w.days.includes(DAYS[(day + 6) % 7]);
    const inside =
      w.start <= w.end
        ? today && time >= w.start && time < w.end
        : (today && time >= w.start) || (yesterday && time < w.end);
    if (inside) {
      return {
        inside: true,
        detail: `${at.toISOString()} is inside the maintenance window ${describe(
          w,
        )}`,
      };
    }
  }
  return {
    inside: false,
    detail: `${at.toISOString()} is outside every maintenance window (${
      windows.map(describe).join('; ') || 'none'
    })`,
  };
}
