import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { activeFreeze, readFreezes } from './freezes';

const service = (system: string, tier = 'standard'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'pay',
    namespace: 'default',
    annotations: { 'nexus-cos.io/tier': tier },
  },
  spec: { system },
});

const freezes = readFreezes(
  new ConfigReader({
    runbook: {
      freezes: [
        {
          name: 'friday-afternoon',
          reason: 'No deploys into the weekend',
          // Fridays 16:00 in Berlin, for 64 hours: until Monday 08:00.
          rrule:
            'DTSTART;TZID=Europe/Berlin:20260102T160000\nRRULE:FREQ=WEEKLY;BYDAY=FR',
          duration: 'PT64H',
          scope: { system: 'payments' },
        },
        {
          name: 'year-end',
          start: '2026-12-20T00:00:00+01:00',
          end: '2027-01-04T00:00:00+01:00',
          scope: { tier: 'critical' },
        },
      ],
    },
  }),
);

describe('change freezes', () => {
  it('finds a recurring window in its time zone, for its System only', () => {
    // Friday 2026-12-04, 16:30 in Berlin (15:30 UTC): in force until Monday 08:00 Berlin.
    const friday = new Date('2026-12-04T15:30:00Z');
    expect(activeFreeze(freezes, service('payments'), friday)).toEqual({
      name: 'friday-afternoon',
      reason: 'No deploys into the weekend',
      until: '2026-12-07T07:00:00.000Z',
    });
    expect(
      activeFreeze(freezes, service('system:default/payments'), friday),
    ).toMatchObject({ name: 'friday-afternoon' });
    expect(activeFreeze(freezes, service('media'), friday)).toBeUndefined();
    // Friday 15:59 Berlin, and Monday 08:00 Berlin: outside.
    expect(
      activeFreeze(
        freezes,
        service('payments'),
        new Date('2026-12-04T14:59:00Z'),
      ),
    ).toBeUndefined();
    expect(
      activeFreeze(
        freezes,
        service('payments'),
        new Date('2026-12-07T07:00:00Z'),
      ),
    ).toBeUndefined();
  });

  it('finds a fixed window for its tier', () => {
    const christmas = new Date('2026-12-24T12:00:00Z');
    expect(
      activeFreeze(freezes, service('media', 'critical'), christmas),
    ).toEqual({ name: 'year-end', until: '2027-01-03T23:00:00.000Z' });
    expect(activeFreeze(freezes, service('media'), christmas)).toBeUndefined();
  });

  it('refuses a malformed freeze, naming it', () => {
    expect(() =>
      readFreezes(
        new ConfigReader({
          runbook: {
            freezes: [{ name: 'x', rrule: 'FREQ=SOMETIMES', duration: 'PT1H' }],
          },
        }),
      ),
    ).toThrow('runbook.freezes x: rrule is not an RFC 5545 rule');
    expect(() =>
      readFreezes(
        new ConfigReader({
          runbook: {
            freezes: [
              { name: 'y', start: '2026-12-20', end: '2026-12-01T00:00:00Z' },
            ],
          },
        }),
      ),
    ).toThrow('runbook.freezes y: start and end must be ISO 8601 instants');
  });
});
