import type { Incident } from '@nexus-cos/plugin-runbook-common';

/** A change to an incident that external systems may mirror. @public */
export type RunbookIncidentEvent = {
  type: 'declared' | 'acknowledged' | 'updated' | 'escalated' | 'resolved';
  incident: Incident;
  /** Group and User refs paged by a `declared` or `escalated` event. */
  paged?: string[];
};

/**
 * Mirrors the runbook's incidents into an external system (PagerDuty, Opsgenie, ...).
 * Called after each change is stored; a failure is logged and does not undo the change.
 * @public
 */
export interface RunbookIncidentProvider {
  /** Names the provider in logs. */
  readonly id: string;
  onIncidentEvent(event: RunbookIncidentEvent): Promise<void>;
}
