import type { FleetAction } from '@nexus-cos/plugin-runbook-common';

/** What the fleet dialogs say about each fleet action. */
export const FLEET_COPY: Record<
  FleetAction,
  { title: string; verb: string; explain: string }
> = {
  'start-all': {
    title: 'Start all',
    verb: 'Start',
    explain:
      'Dependencies start first. The services of one step start together, and the next step waits until they run. The first failure stops the rest.',
  },
  'stop-all': {
    title: 'Stop all',
    verb: 'Stop',
    explain:
      'Dependents stop first: a service stops only once the services that depend on it have stopped and their pods have exited. Each is scaled to zero, never deleted, and start-all brings it back. The first failure stops the rest.',
  },
  diagnostics: {
    title: 'Run diagnostics',
    verb: 'Diagnose',
    explain:
      "Every service gets the runbook's diagnostics, dependencies first; each run's report is on its page. Nothing is changed.",
  },
};

/** "1 service", "3 services". */
export const services = (n: number) => `${n} service${n === 1 ? '' : 's'}`;
