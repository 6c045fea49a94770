import type { AuthService } from '@backstage/backend-plugin-api';
import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import type { HealthService } from '../../health/HealthService';

/** The runbook's daily "Check system health": every service's derived status. */
export function healthSweepCheck(o: {
  health: HealthService;
  auth: AuthService;
}): RunbookMaintenanceCheck {
  return {
    id: 'health-sweep',
    title: 'Check system health',
    period: 'daily',
    async run() {
      const overview = await o.health.overview(
        await o.auth.getOwnServiceCredentials(),
      );
      const of = (status: string) =>
        overview.items
          .filter(i => i.status === status)
          .map(i => ({
            entityRef: i.entityRef,
            reasons: i.reasons.map(r => r.message),
          }));
      const down = of('down');
      const degraded = of('degraded');
      const unknown = of('unknown');
      const healthy =
        overview.items.length - down.length - degraded.length - unknown.length;
      const total = overview.items.length;
      let status: 'ok' | 'warn' | 'fail' = 'ok';
      if (degraded.length || unknown.length) status = 'warn';
      if (down.length) status = 'fail';
      return {
        status,
        summary: `${healthy} of ${total} services healthy${
          degraded.length ? `, ${degraded.length} degraded` : ''
        }${down.length ? `, ${down.length} down` : ''}${
          unknown.length ? `, ${unknown.length} unknown` : ''
        }`,
        evidence: { services: total, healthy, down, degraded, unknown },
      };
    },
  };
}
