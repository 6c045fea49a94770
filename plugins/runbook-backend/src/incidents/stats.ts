import {
  INCIDENT_SEVERITIES,
  IncidentStats,
  OPEN_INCIDENT_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import type { IncidentTally } from './IncidentStore';

const meanSeconds = (t: { count: number; sumMs: number }) =>
  t.count ? Math.round(t.sumMs / t.count / 1000) : undefined;

/**
 * Counts by severity, open incidents, MTTA (detected → acknowledged) and MTTR (detected →
 * resolved) from the tallies of an entity's incidents by severity and phase.
 */
export function statsOfTallies(
  entityRef: string,
  tallies: IncidentTally[],
): IncidentStats {
  const sum = (of: (t: IncidentTally) => { count: number; sumMs: number }) =>
    tallies.reduce(
      (a, t) => ({
        count: a.count + of(t).count,
        sumMs: a.sumMs + of(t).sumMs,
      }),
      { count: 0, sumMs: 0 },
    );
  const count = (keep: (t: IncidentTally) => boolean) =>
    tallies.filter(keep).reduce((a, t) => a + t.count, 0);
  const mtta = meanSeconds(sum(t => t.acknowledged));
  const mttr = meanSeconds(sum(t => t.resolved));
  return {
    entityRef,
    total: count(() => true),
    open: count(t => OPEN_INCIDENT_STATUSES.includes(t.status)),
    bySeverity: Object.fromEntries(
      INCIDENT_SEVERITIES.map(s => [s, count(t => t.severity === s)]),
    ) as IncidentStats['bySeverity'],
    ...(mtta === undefined ? {} : { mttaSeconds: mtta }),
    ...(mttr === undefined ? {} : { mttrSeconds: mttr }),
  };
}
