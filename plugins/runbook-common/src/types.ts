import type {
  ActionLimits,
  PreDeploymentChecklistItem,
  RunbookActionName,
} from './actions';
import type { ActiveFreeze, RunApproval } from './approvals/types';

/**
 * Life cycle of a run. A run that an approval rule (or an emergency during a change
 * freeze) covers waits in `awaiting-approval` until approved (then `pending`), rejected
 * or expired. `succeeded` onwards are terminal.
 * @public
 */
export type RunStatus =
  | 'awaiting-approval'
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'cancelled'
  | 'rejected'
  | 'expired';

/** Statuses after which a run never changes again. @public */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
  'rejected',
  'expired',
];

/** One run of a runbook action. @public */
export type Run = {
  id: string;
  entityRef: string;
  action: RunbookActionName;
  /** The input as requested, with sensitive values redacted. */
  input: Record<string, unknown>;
  status: RunStatus;
  /** User entity ref of whoever asked for it. */
  actor: string;
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why the run failed, was rolled back or cancelled. */
  error?: string;
  /** A short summary of the live state before and after the change. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The report the action produced, such as a diagnosis; see the action's definition. */
  result?: Record<string, unknown>;
  cancelRequested?: boolean;
  /** Set when the run needs (or needed) approval: who may decide, and who did. */
  approval?: RunApproval;
};

/** The signals channel on which the backend broadcasts every run's progress. @public */
export const RUNS_SIGNAL_CHANNEL = 'runbook:runs';

/** A message on {@link RUNS_SIGNAL_CHANNEL}: a status change or a new log line. @public */
export type RunSignal = {
  runId: string;
  entityRef: string;
  status?: RunStatus;
  message?: string;
};

/** One line of a run's step log. @public */
export type RunLogEntry = {
  seq: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
};

/** Whether the caller may run one action, and why not. @public */
export type ActionAvailability = {
  action: RunbookActionName;
  allowed: boolean;
  reason?: string;
};

/** `GET /entities/E/runbook`. @public */
export type RunbookResolution = {
  entityRef: string;
  cluster: string;
  namespace: string;
  /** The value of `backstage.io/kubernetes-id`: the service's Deployment and Service name. */
  service: string;
  production: boolean;
  /** Production requires `confirm` to carry this text (the entity's name). */
  confirmText?: string;
  limits: ActionLimits;
  actions: ActionAvailability[];
  /** The colour the Service selects and the Deployment of that colour. */
  live?: {
    colour: 'blue' | 'green';
    deployment: string;
    replicas: number;
    readyReplicas: number;
    image?: string;
    autoscaled: boolean;
  };
  /** Why the live state could not be read, if it could not. */
  liveError?: string;
  /** The run that holds the entity's lock, if any. */
  activeRunId?: string;
  /** The run that awaits approval on this entity, if any: the only one it may have. */
  awaitingRunId?: string;
  /** The change freeze in force: changes then need an emergency incident and an approval. */
  freeze?: ActiveFreeze;
};

/** One object's change in a dry-run. @public */
export type ObjectDiff = {
  kind: string;
  name: string;
  namespace: string;
  operation: 'create' | 'update' | 'delete';
  changes: Array<{ path: string; before?: unknown; after?: unknown }>;
};

/** `POST /entities/E/runs` with `dryRun: true`. @public */
export type DryRunResult = {
  dryRun: true;
  action: RunbookActionName;
  diff: ObjectDiff[];
};

/** Kinds of audit events. @public */
export const AUDIT_EVENTS = [
  'requested',
  'denied',
  'approved',
  'started',
  'step',
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
  'rejected',
  'expired',
] as const;
/** @public */
export type AuditEventType = (typeof AUDIT_EVENTS)[number];

/** One row of the audit trail, as stored and hashed. @public */
export type AuditRecord = {
  seq: number;
  at: string;
  event: AuditEventType;
  actor: string;
  entityRef: string;
  action: string;
  runId: string | null;
  outcome: string;
  params: Record<string, unknown>;
  summary: Record<string, unknown>;
  durationMs: number | null;
  prevHash: string;
  hash: string;
};

/** `GET /audit`. @public */
export type AuditPage = { items: AuditRecord[]; nextCursor?: string };

/** `GET /audit?order=`: chain order (`asc`, the default) or newest first (`desc`). @public */
export type AuditOrder = 'asc' | 'desc';

/** Filters of `GET /audit` and `GET /audit/export`. @public */
export type AuditFilter = {
  entity?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  /** One run's records, as the scaffolder's "audit entries" links ask for. */
  run?: string;
  from?: string;
  to?: string;
};

/** `GET /audit/verify`. @public */
export type AuditVerifyResult = {
  ok: boolean;
  checked: number;
  anchorsChecked: number;
  firstBrokenSeq?: number;
  problem?: string;
};

/** One checklist item: checked by the engine or confirmed by the person. @public */
export type ChecklistItemEvidence = {
  item: PreDeploymentChecklistItem;
  satisfied: boolean;
  how: 'verified' | 'confirmed';
  /** What was found or who confirmed what, in one sentence. */
  detail: string;
};

/** The `after` of a `checklist` run: the evidence for every item. @public */
export type ChecklistEvidence = {
  kind: 'checklist';
  verdict: 'pass' | 'fail';
  checkedAt: string;
  changeRequest?: string;
  rollbackPlan?: string;
  items: ChecklistItemEvidence[];
};

/** One table of a DR drill: the source at backup time against the restore. @public */
export type DrDrillTable = {
  table: string;
  sourceRows: number;
  restoredRows: number;
  sourceChecksum: string;
  restoredChecksum: string;
  match: boolean;
};

/** The `after` of a `dr-drill` run, stored and audited whether it passed or not. @public */
export type DrDrillReport = {
  kind: 'dr-drill';
  verdict: 'pass' | 'fail';
  target: string;
  database: string;
  scratchDatabase: string;
  /** Why the drill failed, naming the tables that differ. */
  failure?: string;
  backup: { bytes: number; ms: number; tool: string };
  restoreMs: number;
  verifyMs: number;
  /** Recovery time objective as measured: backup + restore + verify. */
  rtoSeconds: number;
  /** Age of the newest data the backup captured, when a timestamp column shows it. */
  rpoSeconds?: number;
  newestDataAt?: string;
  /** Where the newest timestamp was found, as `table.column`. */
  rpoColumn?: string;
  tables: DrDrillTable[];
  scratchDropped: boolean;
  /** The application-state part: names only, never values. */
  applicationState?: {
    namespace: string;
    configMaps: string[];
    secrets: string[];
    error?: string;
  };
};
