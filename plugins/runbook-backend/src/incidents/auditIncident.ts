import type { Incident } from '@nexus-cos/plugin-runbook-common';
import { AuditTrail } from '../audit/AuditTrail';

/** One audit row per affected entity, so that each entity's audit view shows the change. */
export async function auditIncident(
  audit: AuditTrail,
  incident: Incident,
  actor: string,
  action: string,
  params: Record<string, unknown>,
): Promise<void> {
  for (const entityRef of incident.entityRefs) {
    await audit.record({
      event: 'succeeded',
      actor,
      entityRef,
      action,
      outcome: incident.status,
      params: { incidentId: incident.id, ...params },
      summary: {
        severity: incident.severity,
        status: incident.status,
        escalationLevel: incident.escalationLevel,
      },
    });
  }
}
