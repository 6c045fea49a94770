import {
  DEFAULT_RESPONSE_TARGETS,
  ResponseTargets,
  respondByDeadline,
} from './respondBy';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('respondByDeadline with the runbook defaults', () => {
  const detected = at('2026-11-25T10:30:00Z'); // a Wednesday

  it.each([
    ['P0', '2026-11-25T10:30:00.000Z'],
    ['P1', '2026-11-25T10:45:00.000Z'],
    ['P2', '2026-11-25T12:30:00.000Z'],
    ['P3', '2026-11-26T17:00:00.000Z'],
  ] as const)('%s is due at %s', (severity, due) => {
    expect(
      iso(respondByDeadline(detected, severity, DEFAULT_RESPONSE_TARGETS)),
    ).toBe(due);
  });

  it('P1 and P2 count wall-clock time, also across a weekend', () => {
    const friday = at('2026-11-27T23:50:00Z');
    expect(iso(respondByDeadline(friday, 'P1', DEFAULT_RESPONSE_TARGETS))).toBe(
      '2026-11-28T00:05:00.000Z',
    );
  });
});

describe('P3: next business day', () => {
  const berlin: ResponseTargets = {
    ...DEFAULT_RESPONSE_TARGETS,
    businessHours: {
      timezone: 'Europe/Berlin',
      end: '18:00',
      days: [1, 2, 3, 4, 5],
      holidays: ['2026-12-24', '2026-12-25', '2026-12-28'],
    },
  };
  const p3 = (detected: string) =>
    iso(respondByDeadline(at(detected), 'P3', berlin));

  it('is the end of the following working day', () => {
    // Tuesday 09:00 Berlin → Wednesday 18:00 Berlin (17:00 UTC in winter).
    expect(p3('2026-12-01T08:00:00Z')).toBe('2026-12-02T17:00:00.000Z');
  });

  it('skips the weekend from Friday and from Saturday', () => {
    expect(p3('2026-12-04T15:00:00Z')).toBe('2026-12-07T17:00:00.000Z');
    expect(p3('2026-12-05T11:00:00Z')).toBe('2026-12-07T17:00:00.000Z');
  });

  it('counts the day in the business time zone, not in UTC', () => {
    // Friday 23:30 UTC is already Saturday 00:30 in Berlin: still Monday.
    expect(p3('2026-12-04T23:30:00Z')).toBe('2026-12-07T17:00:00.000Z');
    // Thursday 23:30 UTC is Friday in Berlin: the next working day is Monday.
    expect(p3('2026-12-03T23:30:00Z')).toBe('2026-12-07T17:00:00.000Z');
  });

  it('skips holidays and the weekend between them', () => {
    // Wednesday 23 Dec → 24 and 25 are holidays, 26/27 weekend, 28 holiday → Tuesday 29.
    expect(p3('2026-12-23T10:00:00Z')).toBe('2026-12-29T17:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    const summer = p3('2026-07-01T10:00:00Z'); // Berlin is UTC+2 in July
    expect(summer).toBe('2026-07-02T16:00:00.000Z');
  });

  it('honours more than one business day and custom working days', () => {
    const targets: ResponseTargets = {
      severities: { ...berlin.severities, P3: { businessDays: 2 } },
      businessHours: { ...berlin.businessHours, days: [7, 1, 2, 3, 4] },
    };
    // Thursday → Sunday, Monday (Friday and Saturday are off).
    expect(
      iso(respondByDeadline(at('2026-12-03T10:00:00Z'), 'P3', targets)),
    ).toBe('2026-12-07T17:00:00.000Z');
  });

  it('refuses a calendar without working days', () => {
    const none = {
      ...berlin,
      businessHours: { ...berlin.businessHours, days: [] },
    };
    expect(() =>
      respondByDeadline(at('2026-12-01T08:00:00Z'), 'P3', none),
    ).toThrow('business hours must name at least one working day');
  });
});
