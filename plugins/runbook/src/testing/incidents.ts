import type { Incident, IncidentStats } from '@nexus-cos/plugin-runbook-common';
import { SERVICE_REF } from './fakeRunbookApi';

const MINUTE = 60_000;
const iso = (msFromNow: number) =>
  new Date(Date.now() + msFromNow).toISOString();

/** A P2 incident of media-upload detected 5 minutes ago, not yet acknowledged. */
export function incident(changes: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    title: 'Uploads failing',
    severity: 'P2',
    status: 'detected',
    entityRefs: [SERVICE_REF],
    reporter: 'user:default/alice',
    source: 'manual',
    detectedAt: iso(-5 * MINUTE),
    respondBy: iso(115 * MINUTE),
    escalationLevel: 0,
    timeline: [
      {
        seq: 1,
        at: iso(-5 * MINUTE),
        author: 'user:default/alice',
        kind: 'declared',
        message: 'Declared P2',
      },
    ],
    ...changes,
  };
}

/** media-upload's statistics: one open incident of five. */
export function incidentStats(
  changes: Partial<IncidentStats> = {},
): IncidentStats {
  return {
    entityRef: SERVICE_REF,
    total: 5,
    open: 1,
    bySeverity: { P0: 1, P1: 1, P2: 2, P3: 1 },
    mttaSeconds: 240,
    mttrSeconds: 5400,
    ...changes,
  };
}

export { MINUTE, iso };
