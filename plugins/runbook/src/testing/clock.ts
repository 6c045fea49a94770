/**
 * The instant frontend tests pin `Date` at: `NEXUS_TEST_CLOCK` (an ISO 8601 instant,
 * as for the sandbox's traffic clock), else a Wednesday, 10:00 UTC.
 */
export const TEST_NOW = Date.parse(
  process.env.NEXUS_TEST_CLOCK || '2026-01-07T10:00:00Z',
);

/**
 * Freezes `Date` at {@link TEST_NOW} for the rest of the test file, so countdowns and
 * "… ago" read the same at any hour and fixtures built from `Date.now()` are exact.
 * Timers stay real, so Testing Library's waits and user-event behave as usual. Call it
 * at the top of a test file, before fixtures are built.
 */
export function pinDate() {
  if (Number.isNaN(TEST_NOW))
    throw new Error(
      `NEXUS_TEST_CLOCK must be an ISO 8601 instant, got ${process.env.NEXUS_TEST_CLOCK}`,
    );
  jest.useFakeTimers({
    now: TEST_NOW,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  afterAll(() => jest.useRealTimers());
}
