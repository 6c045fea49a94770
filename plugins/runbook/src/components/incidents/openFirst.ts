import {
  Incident,
  OPEN_INCIDENT_STATUSES,
} from '@nexus-cos/plugin-runbook-common';

/** Open incidents before closed ones, each group by severity then newest first. */
export function openFirst(incidents: Incident[]): Incident[] {
  const rank = (i: Incident) =>
    OPEN_INCIDENT_STATUSES.includes(i.status) ? 0 : 1;
  return [...incidents].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (rank(a) === 0 ? a.severity.localeCompare(b.severity) : 0) ||
      b.detectedAt.localeCompare(a.detectedAt),
  );
}
