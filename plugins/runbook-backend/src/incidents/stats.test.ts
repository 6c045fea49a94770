import type {
  IncidentSeverity,
  IncidentStatus,
} from '@nexus-cos/plugin-runbook-common';
import { statsOfTallies } from './stats';

/** The stats of these incidents, tallied one by one as the database tallies them in groups. */
const incidentStats = (
  entityRef: string,
  incidents: Array<{
    severity: IncidentSeverity;
    status: IncidentStatus;
    detectedAt: number;
    acknowledgedAt?: number;
    resolvedAt?: number;
  }>,
) => {
  const span = (from: number, to?: number) =>
    to === undefined ? { count: 0, sumMs: 0 } : { count: 1, sumMs: to - from };
  return statsOfTallies(
    entityRef,
    incidents.map(i => ({
      severity: i.severity,
      status: i.status,
      count: 1,
      acknowledged: span(i.detectedAt, i.acknowledgedAt),
      resolved: span(i.detectedAt, i.resolvedAt),
    })),
  );
};

const t0 = Date.parse('2026-11-01T00:00:00Z');
const min = 60_000;

describe('statsOfTallies', () => {
  it('counts and averages a fixed data set', () => {
    const stats = incidentStats('component:default/payments', [
      // acknowledged after 2 min, resolved after 30 min
      {
        severity: 'P1',
        status: 'post-mortem',
        detectedAt: t0,
        acknowledgedAt: t0 + 2 * min,
        resolvedAt: t0 + 30 * min,
      },
      // acknowledged after 10 min, resolved after 90 min
      {
        severity: 'P1',
        status: 'resolved',
        detectedAt: t0,
        acknowledgedAt: t0 + 10 * min,
        resolvedAt: t0 + 90 * min,
      },
      // acknowledged after 6 min, still open
      {
        severity: 'P0',
        status: 'responding',
        detectedAt: t0,
        acknowledgedAt: t0 + 6 * min,
      },
      // never acknowledged
      { severity: 'P3', status: 'detected', detectedAt: t0 },
    ]);
    expect(stats).toEqual({
      entityRef: 'component:default/payments',
      total: 4,
      open: 2,
      bySeverity: { P0: 1, P1: 2, P2: 0, P3: 1 },
      mttaSeconds: 6 * 60,
      mttrSeconds: 60 * 60,
    });
  });

  it('leaves MTTA and MTTR out when nothing was acknowledged or resolved', () => {
    expect(
      incidentStats('component:default/a', [
        { severity: 'P2', status: 'detected', detectedAt: t0 },
      ]),
    ).toEqual({
      entityRef: 'component:default/a',
      total: 1,
      open: 1,
      bySeverity: { P0: 0, P1: 0, P2: 1, P3: 0 },
    });
  });
});
