import {
  ANNOTATION_ONCALL_HANDOVER,
  ANNOTATION_ONCALL_OVERRIDES,
  ANNOTATION_ONCALL_PERIOD,
  ANNOTATION_ONCALL_ROTATION,
  ANNOTATION_ONCALL_START,
  ANNOTATION_ONCALL_TIMEZONE,
} from '../annotations';
import { resolveOnCall, upcomingOnCallShifts } from './resolveOnCall';
import { testGroup } from './testUtils';

const HOUR = 3_600_000;
const at = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs);
const userAt = (
  group: ReturnType<typeof testGroup>,
  iso: string,
  deltaMs = 0,
) =>
  resolveOnCall(group, at(iso, deltaMs))?.userRef.replace('user:default/', '');
const hours = (shift: { start: string; end: string }) =>
  (Date.parse(shift.end) - Date.parse(shift.start)) / HOUR;

describe('resolveOnCall', () => {
  // Weekly, Mondays 09:00 Europe/Berlin (08:00Z in winter), alice from 2026-01-05.
  const weekly = testGroup();

  it('hands over at the hand-over instant, not a millisecond earlier', () => {
    expect(userAt(weekly, '2026-01-05T08:00:00Z', -1)).toBe('carol');
    expect(userAt(weekly, '2026-01-05T08:00:00Z')).toBe('alice');
    expect(userAt(weekly, '2026-01-12T08:00:00Z', -1)).toBe('alice');
    expect(userAt(weekly, '2026-01-12T08:00:00Z')).toBe('bob');
    expect(userAt(weekly, '2026-01-19T08:00:00Z')).toBe('carol');
    expect(userAt(weekly, '2026-01-26T08:00:00Z')).toBe('alice');
  });

  it('returns the whole shift in the rotation time zone', () => {
    expect(resolveOnCall(weekly, at('2026-01-08T15:00:00Z'))).toEqual({
      userRef: 'user:default/alice',
      groupRef: 'group:default/team-test',
      start: '2026-01-05T09:00:00+01:00',
      end: '2026-01-12T09:00:00+01:00',
      source: 'rotation',
    });
  });

  it('counts backwards before the start date', () => {
    expect(userAt(weekly, '2025-12-29T08:00:00Z')).toBe('carol');
    expect(userAt(weekly, '2025-12-22T08:00:00Z')).toBe('bob');
    expect(userAt(weekly, '2025-12-22T08:00:00Z', -1)).toBe('alice');
    // 52 weeks before the start: shift -52, and -52 mod 3 = 2.
    expect(resolveOnCall(weekly, at('2025-01-10T12:00:00Z'))).toMatchObject({
      userRef: 'user:default/carol',
      start: '2025-01-06T09:00:00+01:00',
      end: '2025-01-13T09:00:00+01:00',
    });
  });

  it('rotates daily with P1D', () => {
    const daily = testGroup({ [ANNOTATION_ONCALL_PERIOD]: 'P1D' });
    expect(userAt(daily, '2026-01-05T08:00:00Z')).toBe('alice');
    expect(userAt(daily, '2026-01-06T08:00:00Z', -1)).toBe('alice');
    expect(userAt(daily, '2026-01-06T08:00:00Z')).toBe('bob');
    expect(userAt(daily, '2026-01-07T08:00:00Z')).toBe('carol');
    expect(userAt(daily, '2026-01-08T08:00:00Z')).toBe('alice');
  });

  it('rotates fortnightly with P2W', () => {
    const fortnightly = testGroup({ [ANNOTATION_ONCALL_PERIOD]: 'P2W' });
    expect(userAt(fortnightly, '2026-01-12T08:00:00Z')).toBe('alice');
    expect(userAt(fortnightly, '2026-01-19T08:00:00Z', -1)).toBe('alice');
    expect(userAt(fortnightly, '2026-01-19T08:00:00Z')).toBe('bob');
    expect(userAt(fortnightly, '2026-02-02T08:00:00Z')).toBe('carol');
  });

  it('keeps the wall-clock hand-over across the Berlin spring-forward change', () => {
    // DST starts 2026-03-29; 2026-03-23 is shift 11 (carol), 2026-03-30 shift 12 (alice).
    expect(userAt(weekly, '2026-03-30T07:00:00Z', -1)).toBe('carol');
    expect(userAt(weekly, '2026-03-30T07:00:00Z')).toBe('alice');
    const shortWeek = resolveOnCall(weekly, at('2026-03-29T12:00:00Z'))!;
    expect(shortWeek).toMatchObject({
      start: '2026-03-23T09:00:00+01:00',
      end: '2026-03-30T09:00:00+02:00',
    });
    expect(hours(shortWeek)).toBe(7 * 24 - 1);
  });

  it('keeps the wall-clock hand-over across the Berlin fall-back change', () => {
    // DST ends 2026-10-25; 2026-10-19 is shift 41 (carol), 2026-10-26 shift 42 (alice).
    expect(userAt(weekly, '2026-10-26T08:00:00Z', -1)).toBe('carol');
    expect(userAt(weekly, '2026-10-26T08:00:00Z')).toBe('alice');
    const longWeek = resolveOnCall(weekly, at('2026-10-25T12:00:00Z'))!;
    expect(longWeek).toMatchObject({
      start: '2026-10-19T09:00:00+02:00',
      end: '2026-10-26T09:00:00+01:00',
    });
    expect(hours(longWeek)).toBe(7 * 24 + 1);
  });

  it('moves a hand-over time skipped by spring-forward to just after the gap', () => {
    const nightly = testGroup({
      [ANNOTATION_ONCALL_PERIOD]: 'P1D',
      [ANNOTATION_ONCALL_HANDOVER]: '02:30',
    });
    // 2026-03-29 02:30 does not exist in Berlin; the hand-over happens at 03:30 CEST (01:30Z).
    expect(userAt(nightly, '2026-03-29T01:30:00Z', -1)).toBe(
      userAt(nightly, '2026-03-28T12:00:00Z'),
    );
    expect(resolveOnCall(nightly, at('2026-03-29T01:30:00Z'))).toMatchObject({
      start: '2026-03-29T03:30:00+02:00',
      end: '2026-03-30T02:30:00+02:00',
    });
  });

  it('follows DST in New York, which changes on other dates than Europe', () => {
    const newYork = testGroup({
      [ANNOTATION_ONCALL_ROTATION]: 'kevin,laura,miguel',
      [ANNOTATION_ONCALL_PERIOD]: 'P1D',
      [ANNOTATION_ONCALL_HANDOVER]: '10:00',
      [ANNOTATION_ONCALL_TIMEZONE]: 'America/New_York',
    });
    // DST starts 2026-03-08: hand-overs at 15:00Z on 03-07 and 14:00Z on 03-08 (day 62: miguel).
    expect(userAt(newYork, '2026-03-07T15:00:00Z')).toBe('laura');
    expect(userAt(newYork, '2026-03-08T14:00:00Z', -1)).toBe('laura');
    expect(userAt(newYork, '2026-03-08T14:00:00Z')).toBe('miguel');
    expect(hours(resolveOnCall(newYork, at('2026-03-08T12:00:00Z'))!)).toBe(23);
  });

  it('uses half-hour offsets (Asia/Kolkata)', () => {
    const kolkata = testGroup({ [ANNOTATION_ONCALL_TIMEZONE]: 'Asia/Kolkata' });
    expect(userAt(kolkata, '2026-01-05T03:30:00Z', -1)).toBe('carol');
    expect(userAt(kolkata, '2026-01-05T03:30:00Z')).toBe('alice');
  });

  it('hands over on the local date, not the UTC date (late hand-over west of UTC)', () => {
    const losAngeles = testGroup({
      [ANNOTATION_ONCALL_PERIOD]: 'P1D',
      [ANNOTATION_ONCALL_HANDOVER]: '23:00',
      [ANNOTATION_ONCALL_TIMEZONE]: 'America/Los_Angeles',
    });
    // 2026-01-05 23:00 PST is 2026-01-06T07:00Z.
    expect(userAt(losAngeles, '2026-01-06T07:00:00Z', -1)).toBe('carol');
    expect(userAt(losAngeles, '2026-01-06T07:00:00Z')).toBe('alice');
    expect(userAt(losAngeles, '2026-01-07T07:00:00Z')).toBe('bob');
  });

  it('returns undefined for a group without a rotation', () => {
    expect(
      resolveOnCall(
        testGroup({ [ANNOTATION_ONCALL_ROTATION]: undefined }),
        at('2026-01-07T10:00:00Z'),
      ),
    ).toBeUndefined();
  });

  it('throws for an invalid date', () => {
    expect(() => resolveOnCall(testGroup(), new Date('not a date'))).toThrow(
      'Cannot resolve on-call at an invalid date',
    );
  });

  it('throws for a malformed rotation', () => {
    expect(() =>
      resolveOnCall(
        testGroup({ [ANNOTATION_ONCALL_PERIOD]: 'P1M' }),
        at('2026-01-07T10:00:00Z'),
      ),
    ).toThrow(ANNOTATION_ONCALL_PERIOD);
  });
});

describe('overrides', () => {
  const override = (
    start: string,
    end: string,
    user: string,
    reason?: string,
  ) => ({
    start,
    end,
    user,
    ...(reason ? { reason } : {}),
  });
  const withOverrides = (...overrides: object[]) =>
    testGroup({ [ANNOTATION_ONCALL_OVERRIDES]: JSON.stringify(overrides) });

  // Inside alice's shift 2026-01-05 09:00 .. 2026-01-12 09:00 (+01:00).
  const dave = override(
    '2026-01-07T12:00:00+01:00',
    '2026-01-08T12:00:00+01:00',
    'dave',
    'dentist swap',
  );

  it('wins over the rotation inside its interval, from its start to before its end', () => {
    const group = withOverrides(dave);
    expect(userAt(group, dave.start, -1)).toBe('alice');
    expect(resolveOnCall(group, at(dave.start))).toEqual({
      userRef: 'user:default/dave',
      groupRef: 'group:default/team-test',
      start: '2026-01-07T12:00:00+01:00',
      end: '2026-01-08T12:00:00+01:00',
      source: 'override',
      reason: 'dentist swap',
    });
    expect(userAt(group, dave.end, -1)).toBe('dave');
    expect(userAt(group, dave.end)).toBe('alice');
  });

  it('splits the interrupted shift', () => {
    const shifts = upcomingOnCallShifts(
      withOverrides(dave),
      at('2026-01-06T00:00:00Z'),
      4,
    );
    expect(shifts.map(s => [s.userRef, s.source, s.start, s.end])).toEqual([
      [
        'user:default/alice',
        'rotation',
        '2026-01-05T09:00:00+01:00',
        '2026-01-07T12:00:00+01:00',
      ],
      [
        'user:default/dave',
        'override',
        '2026-01-07T12:00:00+01:00',
        '2026-01-08T12:00:00+01:00',
      ],
      [
        'user:default/alice',
        'rotation',
        '2026-01-08T12:00:00+01:00',
        '2026-01-12T09:00:00+01:00',
      ],
      [
        'user:default/bob',
        'rotation',
        '2026-01-12T09:00:00+01:00',
        '2026-01-19T09:00:00+01:00',
      ],
    ]);
  });

  it('spans a hand-over as one shift', () => {
    const group = withOverrides(
      override(
        '2026-01-11T09:00:00+01:00',
        '2026-01-13T09:00:00+01:00',
        'dave',
      ),
    );
    expect(resolveOnCall(group, at('2026-01-12T08:00:00Z'))).toMatchObject({
      userRef: 'user:default/dave',
      start: '2026-01-11T09:00:00+01:00',
      end: '2026-01-13T09:00:00+01:00',
    });
    expect(resolveOnCall(group, at('2026-01-13T08:00:00Z'))).toMatchObject({
      userRef: 'user:default/bob',
      start: '2026-01-13T09:00:00+01:00',
      end: '2026-01-19T09:00:00+01:00',
    });
  });

  it('lets the later-listed override win where two overlap', () => {
    const long = override(
      '2026-01-07T12:00:00+01:00',
      '2026-01-09T12:00:00+01:00',
      'dave',
    );
    const short = override(
      '2026-01-08T00:00:00+01:00',
      '2026-01-08T12:00:00+01:00',
      'erin',
    );

    const shortWins = upcomingOnCallShifts(
      withOverrides(long, short),
      at(long.start),
      4,
    );
    expect(shortWins.map(s => [s.userRef, s.start, s.end])).toEqual([
      ['user:default/dave', long.start, short.start],
      ['user:default/erin', short.start, short.end],
      ['user:default/dave', short.end, long.end],
      ['user:default/alice', long.end, '2026-01-12T09:00:00+01:00'],
    ]);

    const longWins = upcomingOnCallShifts(
      withOverrides(short, long),
      at(long.start),
      2,
    );
    expect(longWins.map(s => [s.userRef, s.start, s.end])).toEqual([
      ['user:default/dave', long.start, long.end],
      ['user:default/alice', long.end, '2026-01-12T09:00:00+01:00'],
    ]);
  });

  it('accepts any offset: the instants count, not the wall clock', () => {
    const utc = override(
      '2026-01-07T11:00:00Z',
      '2026-01-08T11:00:00Z',
      'dave',
    );
    expect(
      resolveOnCall(withOverrides(utc), at('2026-01-07T11:00:00Z')),
    ).toMatchObject({
      userRef: 'user:default/dave',
      start: '2026-01-07T12:00:00+01:00',
    });
  });
});

describe('upcomingOnCallShifts', () => {
  it('lists the current shift first, then consecutive hand-overs', () => {
    const shifts = upcomingOnCallShifts(
      testGroup(),
      at('2026-01-14T12:00:00Z'),
      4,
    );
    expect(shifts.map(s => [s.userRef, s.start])).toEqual([
      ['user:default/bob', '2026-01-12T09:00:00+01:00'],
      ['user:default/carol', '2026-01-19T09:00:00+01:00'],
      ['user:default/alice', '2026-01-26T09:00:00+01:00'],
      ['user:default/bob', '2026-02-02T09:00:00+01:00'],
    ]);
    shifts
      .slice(1)
      .forEach((shift, i) => expect(shift.start).toBe(shifts[i].end));
  });

  it('is empty for a group without a rotation or for no shifts', () => {
    expect(
      upcomingOnCallShifts(
        testGroup({ [ANNOTATION_ONCALL_ROTATION]: undefined }),
        at('2026-01-07T10:00:00Z'),
        3,
      ),
    ).toEqual([]);
    expect(
      upcomingOnCallShifts(testGroup(), at('2026-01-07T10:00:00Z'), 0),
    ).toEqual([]);
  });

  it('starts a later rotation consistently with resolveOnCall', () => {
    const group = testGroup({
      [ANNOTATION_ONCALL_START]: '2026-06-01',
      [ANNOTATION_ONCALL_HANDOVER]: '18:15',
    });
    for (
      let t = Date.parse('2026-05-01T00:00:00Z');
      t < Date.parse('2026-07-01T00:00:00Z');
      t += 5 * HOUR
    ) {
      const [current] = upcomingOnCallShifts(group, new Date(t), 1);
      expect(current).toEqual(resolveOnCall(group, new Date(t)));
      expect(Date.parse(current.start)).toBeLessThanOrEqual(t);
      expect(Date.parse(current.end)).toBeGreaterThan(t);
    }
  });
});
