import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import {
  MaintenanceWindow,
  checkMaintenanceWindow,
  readMaintenanceWindows,
} from './maintenanceWindow';

const weekdayNights: MaintenanceWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '22:00',
  end: '02:00',
  timezone: 'Europe/Berlin',
};

describe('checkMaintenanceWindow', () => {
  it.each([
    // Tuesday 2026-11-24 21:30 UTC is 22:30 in Berlin: inside Tuesday's window.
    ['2026-11-24T21:30:00Z', true],
    // Wednesday 00:30 UTC is 01:30 in Berlin: still Tuesday's window, past midnight.
    ['2026-11-25T00:30:00Z', true],
    // Wednesday 01:30 UTC is 02:30 in Berlin: after it ended.
    ['2026-11-25T01:30:00Z', false],
    // Saturday 23:00 in Berlin: no window starts on Saturday.
    ['2026-11-28T22:00:00Z', false],
    // Saturday 01:00 in Berlin: Friday's window crosses into it.
    ['2026-11-28T00:00:00Z', true],
  ])('at %s inside=%s', (at, inside) => {
    const result = checkMaintenanceWindow([weekdayNights], new Date(at));
    expect(result.inside).toBe(inside);
    expect(result.detail).toContain(
      'mon,tue,wed,thu,fri 22:00-02:00 Europe/Berlin',
    );
  });

  it('counts every time as inside when none are configured, and says so', () => {
    expect(
      checkMaintenanceWindow(undefined, new Date('2026-11-28T22:00:00Z')),
    ).toEqual({
      inside: true,
      detail: expect.stringContaining('No maintenance windows are configured'),
    });
  });
});

describe('readMaintenanceWindows', () => {
  const read = (windows: JsonValue) =>
    readMaintenanceWindows(
      new ConfigReader({
        runbook: { checklist: { maintenanceWindows: windows } },
      }),
    );

  it('reads windows with UTC as the default zone', () => {
    expect(read([{ days: ['Sat'], start: '06:00', end: '08:00' }])).toEqual([
      { days: ['sat'], start: '06:00', end: '08:00', timezone: 'UTC' },
    ]);
    expect(readMaintenanceWindows(new ConfigReader({}))).toBeUndefined();
  });

  it.each([
    [
      { days: ['someday'], start: '06:00', end: '08:00' },
      '[0].days: "someday"',
    ],
    [
      { days: ['sat'], start: '6am', end: '08:00' },
      '[0].start: "6am" is not HH:mm',
    ],
    [
      { days: ['sat'], start: '06:00', end: '08:00', timezone: 'Mars/Olympus' },
      '[0].timezone: "Mars/Olympus"',
    ],
  ])('refuses %j naming the key', (window, message) => {
    expect(() => read([window])).toThrow(message);
  });
});
