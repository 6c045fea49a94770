import { ConflictError } from '@backstage/errors';
import {
  Incident,
  IncidentStatus,
  IncidentTimelineEntry,
  ResponseTargets,
  incidentTransitionRefusal,
  respondByDeadline,
  updateIncidentSchema,
} from '@nexus-cos/plugin-runbook-common';
import type { z } from 'zod';
import type { IncidentChanges } from './IncidentStore';

/** Which phase column records the moment an incident entered a phase. */
const PHASE_TIME: Partial<Record<IncidentStatus, keyof IncidentChanges>> = {
  assessing: 'acknowledgedAt',
  responding: 'respondingAt',
  resolved: 'resolvedAt',
  'post-mortem': 'postMortemAt',
};

/** A timeline entry before it is stored. */
export type NewTimelineEntry = Omit<IncidentTimelineEntry, 'seq' | 'at'>;

/**
 * `PATCH /incidents/:id` as changes and timeline entries: the phase by the runbook's
 * procedure, the severity (which moves the respond-by target while still detected), the
 * commander and a note. 409 when nothing would change or a transition is not allowed.
 */
export function planIncidentUpdate(
  before: Incident,
  request: z.infer<typeof updateIncidentSchema>,
  actor: string,
  now: number,
  targets: ResponseTargets,
): { changes: IncidentChanges; entries: NewTimelineEntry[] } {
  const changes: IncidentChanges = {};
  const entries: NewTimelineEntry[] = [];
  if (request.status && request.status !== before.status) {
    const refusal = incidentTransitionRefusal(before.status, request.status);
    if (refusal) throw new ConflictError(`status: ${refusal}`);
    changes.status = request.status;
    const column = PHASE_TIME[request.status];
    if (column) Object.assign(changes, { [column]: now });
    if (request.status === 'assessing') {
      changes.acknowledgedBy = actor;
      entries.push({
        author: actor,
        kind: 'acknowledged',
        message: `Acknowledged by ${actor}`,
      });
    } else {
      entries.push({
        author: actor,
        kind: 'status',
        message: `${before.status} → ${request.status}`,
      });
    }
    // A recurrence reopens the incident: it is no longer resolved.
    if (before.status === 'resolved' && request.status === 'responding') {
      changes.resolvedAt = null;
    }
  } else if (request.status) {
    throw new ConflictError(`status: the incident is already ${before.status}`);
  }
  if (request.severity && request.severity !== before.severity) {
    changes.severity = request.severity;
    if (before.status === 'detected') {
      changes.respondBy = respondByDeadline(
        new Date(before.detectedAt),
        request.severity,
        targets,
      ).getTime();
    }
    entries.push({
      author: actor,
      kind: 'severity',
      message: `Severity ${before.severity} → ${request.severity}`,
    });
  }
  if (request.commander && request.commander !== before.commander) {
    changes.commander = request.commander;
    entries.push({
      author: actor,
      kind: 'commander',
      message: `Commander: ${request.commander}`,
    });
  }
  if (request.note)
    entries.push({ author: actor, kind: 'note', message: request.note });
  if (!Object.keys(changes).length) {
    throw new ConflictError('The incident already has these values');
  }
  return { changes, entries };
}
