import type { RunApproval } from '../approvals/types';
import type { RunStatus } from '../types';
import type { FleetAction } from './schemas';

/**
 * A fleet run's status: a run's, less `rolled-back` (each child rolls back its own
 * change; the fleet run then fails).
 * @public
 */
export type FleetRunStatus = Exclude<RunStatus, 'rolled-back'>;

/**
 * A service's status in a fleet run: its run's status once it has one, `skipped` when it
 * was already in the target state or its allow-list excludes the action, `not-started`
 * before its turn or when the fleet run stopped first.
 * @public
 */
export type FleetChildStatus = RunStatus | 'skipped' | 'not-started';

/** One service in the plan: `depth` 0 runs first; equal depths may run in parallel. @public */
export type FleetPlanEntry = { entityRef: string; depth: number };

/** One service of a fleet run and what became of it. @public */
export type FleetChild = {
  entityRef: string;
  runId?: string;
  status: FleetChildStatus;
  /** Why it was skipped, failed before its run started, or was not started. */
  reason?: string;
};

/** `GET /fleet/runs/:id`. @public */
export type FleetRun = {
  id: string;
  action: FleetAction;
  /** The System or Domain. */
  scope: string;
  status: FleetRunStatus;
  actor: string;
  reason?: string;
  gracePeriodSeconds?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** What failed and what was not started, or why the fleet run was cancelled. */
  error?: string;
  cancelRequested?: boolean;
  /** Dependencies first for start-all and diagnostics, dependents first for stop-all. */
  plan: FleetPlanEntry[];
  /** One per plan entry, in plan order. */
  children: FleetChild[];
  /** Set when the fleet run needs (or needed) approval; `diff` is empty: the plan is shown. */
  approval?: RunApproval;
};

/** `POST /fleet/runs` with `dryRun: true`: what would run, before anything does. @public */
export type FleetDryRunResult = {
  dryRun: true;
  action: FleetAction;
  scope: string;
  plan: FleetPlanEntry[];
  /** `skipped` (with the reason) or `not-started`, in plan order. */
  children: FleetChild[];
  /** Set when a service in scope is production: `confirm` must carry this text. */
  confirmText?: string;
};

/** Statuses after which a fleet run never changes again. @public */
export const TERMINAL_FLEET_RUN_STATUSES: readonly FleetRunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
  'expired',
];
