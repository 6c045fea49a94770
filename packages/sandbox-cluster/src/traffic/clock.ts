const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 instant with its offset (`2026-01-07T18:00:00Z`), as epoch milliseconds.
 * Without an offset the hour would depend on the machine's time zone, so it is refused.
 */
export function parseInstant(value: string, name: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new Error(
      `${name} must be an ISO 8601 instant with an offset, e.g. 2026-01-07T18:00:00Z, got ${JSON.stringify(
        value,
      )}`,
    );
  return ms;
}

/** The environment variable that pins the sandbox's simulated clock in this repo's tests. */
export const TEST_CLOCK_ENV = 'NEXUS_TEST_CLOCK';

/** Where tests pin the clock unless `NEXUS_TEST_CLOCK` says otherwise: a Wednesday, 10:00 UTC. */
export const DEFAULT_TEST_CLOCK = '2026-01-07T10:00:00Z';

/**
 * The simulated start instant for tests (`traffic.startAt`): `NEXUS_TEST_CLOCK`, else
 * {@link DEFAULT_TEST_CLOCK}. Running a suite with `NEXUS_TEST_CLOCK=...T18:00:00Z`
 * shows whether it passes at that hour; a malformed value throws rather than silently
 * un-pinning the clock.
 */
export function testClock(env: NodeJS.ProcessEnv = process.env): Date {
  return new Date(
    parseInstant(env[TEST_CLOCK_ENV] || DEFAULT_TEST_CLOCK, TEST_CLOCK_ENV),
  );
}
