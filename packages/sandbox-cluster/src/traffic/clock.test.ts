import { DEFAULT_TEST_CLOCK, parseInstant, testClock } from './clock';

describe('parseInstant', () => {
  it('reads ISO 8601 instants with an offset', () => {
    expect(parseInstant('2026-01-07T18:00:00Z', 'x')).toBe(
      Date.UTC(2026, 0, 7, 18),
    );
    expect(parseInstant('2026-01-07T19:30+01:00', 'x')).toBe(
      Date.UTC(2026, 0, 7, 18, 30),
    );
  });

  it.each(['18:00', '2026-01-07T18:00:00', 'tomorrow', ''])(
    'refuses %j, naming the setting',
    value => {
      expect(() => parseInstant(value, '--start-at')).toThrow(
        `--start-at must be an ISO 8601 instant with an offset, e.g. 2026-01-07T18:00:00Z, got ${JSON.stringify(
          value,
        )}`,
      );
    },
  );
});

describe('testClock', () => {
  it('is NEXUS_TEST_CLOCK, or a fixed instant without it', () => {
    expect(
      testClock({ NEXUS_TEST_CLOCK: '2026-01-07T06:00:00Z' }).toISOString(),
    ).toBe('2026-01-07T06:00:00.000Z');
    expect(testClock({}).getTime()).toBe(Date.parse(DEFAULT_TEST_CLOCK));
  });

  it('refuses a malformed NEXUS_TEST_CLOCK rather than follow the wall clock', () => {
    expect(() => testClock({ NEXUS_TEST_CLOCK: '06:00' })).toThrow(
      /^NEXUS_TEST_CLOCK must be an ISO 8601 instant/,
    );
  });
});
