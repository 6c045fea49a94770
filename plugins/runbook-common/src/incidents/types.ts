import type { IncidentSeverity, IncidentStatus, PostMortem } from './schemas';

/** One line of an incident's timeline. @public */
export type IncidentTimelineEntry = {
  seq: number;
  at: string;
  /** User ref, or `alertmanager`/`runbook` for entries the system wrote. */
  author: string;
  kind:
    | 'declared'
    | 'acknowledged'
    | 'status'
    | 'severity'
    | 'commander'
    | 'note'
    | 'escalated'
    | 'alert'
    | 'post-mortem';
  message: string;
};

/** An incident as the API shows it. @public */
export type Incident = {
  id: string;
  title: string;
  description?: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  entityRefs: string[];
  commander?: string;
  reporter: string;
  /** `manual`, or `alertmanager` for incidents opened by an alert. */
  source: string;
  /** Alertmanager's fingerprint of the alert that opened it. */
  fingerprint?: string;
  detectedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  respondingAt?: string;
  resolvedAt?: string;
  postMortemAt?: string;
  /** When someone must have acknowledged it, from the severity's response target. */
  respondBy: string;
  /** 0 = owners and on-call; n = the first n groups of the escalation chain were paged. */
  escalationLevel: number;
  timeline: IncidentTimelineEntry[];
  postMortem?: PostMortem;
};

/** `GET /entities/E/incidents/stats`. Durations are in seconds. @public */
export type IncidentStats = {
  entityRef: string;
  total: number;
  open: number;
  bySeverity: Record<IncidentSeverity, number>;
  /** Mean time from detection to acknowledgement; absent when none was acknowledged. */
  mttaSeconds?: number;
  /** Mean time from detection to resolution; absent when none was resolved. */
  mttrSeconds?: number;
};

/** What `POST /alerts/alertmanager` did with each alert. @public */
export type AlertOutcome = {
  fingerprint: string;
  outcome: 'opened' | 'updated' | 'resolved' | 'ignored';
  incidentId?: string;
  /** Why an alert was ignored. */
  reason?: string;
};
