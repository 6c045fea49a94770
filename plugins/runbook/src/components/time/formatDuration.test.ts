import { formatDuration, formatMillis } from './formatDuration';

describe('formatDuration', () => {
  it('formats the span between two instants in the largest useful units', () => {
    expect(
      formatDuration('2026-01-05T09:00:00Z', '2026-01-05T09:01:05.400Z'),
    ).toBe('1m 5s');
    expect(formatMillis(450)).toBe('450 ms');
    expect(formatMillis(42_000)).toBe('42s');
    expect(formatMillis((2 * 3600 + 3 * 60 + 9) * 1000)).toBe('2h 3m');
  });

  it('is unknown while the run has not finished', () => {
    expect(formatDuration('2026-01-05T09:00:00Z', undefined)).toBeUndefined();
  });
});
