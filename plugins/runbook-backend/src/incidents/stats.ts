import {
  INCIDENT_SEVERITIES,
  IncidentStats,
  OPEN_INCIDENT_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import type { IncidentTimes } from './IncidentStore';

const meanSeconds = (durationsMs: number[]) =>
  durationsMs.length
    ? Math.round(
        durationsMs.reduce((a, b) => a + b, 0) / durationsMs.length / 1000,
      )
    : undefined;

/**
 * Counts by severity, open incidents, MTTA (detected → acknowledged) and MTTR (detected →
 * resolved) over the given incidents.
 */
export function incidentStats(
  entityRef: string,
  incidents: IncidentTimes[],
): IncidentStats {
  const bySeverity = Object.fromEntries(
    INCIDENT_SEVERITIES.map(s => [
      s,
      incidents.filter(i => i.severity === s).length,
    ]),
  ) as IncidentStats['bySeverity'];
  const mtta = meanSeconds(
    incidents.flatMap(i =>
      i.acknowledgedAt === undefined ? [] : [i.acknowledgedAt - i.detectedAt],
    ),
  );
  const mttr = meanSeconds(
    incidents.flatMap(i =>
      i.resolvedAt === undefined ? [] : [i.resolvedAt - i.detectedAt],
    ),
  );
  return {
    entityRef,
    total: incidents.length,
    open: incidents.filter(i => OPEN_INCIDENT_STATUSES.includes(i.status))
      .length,
    bySeverity,
    ...(mtta === undefined ? {} : { mttaSeconds: mtta }),
    ...(mttr === undefined ? {} : { mttrSeconds: mttr }),
  };
}
