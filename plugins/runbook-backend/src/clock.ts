import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** The time as the runbook's calendars (maintenance, freezes, approvals) see it. */
export type RunbookClock = { now(): Date };

/**
 * The wall clock, unless a test pins it (by giving the backend another factory of this
 * service), so that maintenance periods, freeze windows and approval expiry are certain.
 */
export const runbookClockServiceRef = createServiceRef<RunbookClock>({
  id: 'runbook.clock',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => new Date() }),
    }),
});
