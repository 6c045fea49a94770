import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** The time as the runbook's calendar sees it. */
export type RunbookClock = { now(): Date };

/**
 * The clock of routine maintenance: the wall clock, unless a test pins it (by giving the
 * backend another factory of this service), so that periods and due times are certain.
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
