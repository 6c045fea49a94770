import type { IncidentStatus } from './schemas';

/**
 * The runbook's Incident Procedure as a state machine: from each phase, the phases it may
 * move to. `resolved → responding` reopens an incident that recurred.
 */
const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  detected: ['assessing'],
  assessing: ['responding', 'resolved'],
  responding: ['resolved'],
  resolved: ['responding', 'post-mortem'],
  'post-mortem': [],
};

/** The phases an incident in `from` may move to. @public */
export function nextIncidentPhases(
  from: IncidentStatus,
): readonly IncidentStatus[] {
  return NEXT[from];
}

/**
 * Why an incident may not move from `from` to `to`, or undefined when it may.
 * @public
 */
export function incidentTransitionRefusal(
  from: IncidentStatus,
  to: IncidentStatus,
): string | undefined {
  if (NEXT[from].includes(to)) return undefined;
  const allowed = NEXT[from];
  return allowed.length
    ? `an incident in phase ${from} can move to ${allowed.join(
        ' or ',
      )}, not ${to}`
    : `an incident in phase ${from} is closed and cannot move to ${to}`;
}
