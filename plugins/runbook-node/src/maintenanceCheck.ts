import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  MaintenanceCheckStatus,
  MaintenancePeriod,
} from '@nexus-cos/plugin-runbook-common';

/** Given to a maintenance check when it runs. @public */
export type MaintenanceCheckContext = {
  /** The backend's clock when the check runs. */
  now: Date;
  /** The occurrence the result is recorded for. */
  period: { name: MaintenancePeriod; from: Date; to: Date };
  /** Aborted when the check runs past its timeout. */
  signal: AbortSignal;
  logger: LoggerService;
};

/** What a check found; `evidence` is shown to people and kept (never put secrets in it). @public */
export type MaintenanceCheckResult = {
  status: MaintenanceCheckStatus;
  evidence: Record<string, unknown>;
  /** One line for the calendar, e.g. "2 of 43 services degraded". */
  summary?: string;
};

/**
 * An automated routine-maintenance task. The backend runs it once per period, on one
 * replica, and records `ok`, `warn` or `fail` with its evidence. A task in
 * `runbook.maintenance.tasks` that names the check (`check: <id>`) sets its title,
 * period, owner and due time; otherwise the check is a platform task of its own.
 * @public
 */
export interface RunbookMaintenanceCheck {
  /** Lower-case letters, digits and "-". */
  readonly id: string;
  readonly title: string;
  readonly period: MaintenancePeriod;
  run(ctx: MaintenanceCheckContext): Promise<MaintenanceCheckResult>;
}

/** Lets modules add automated maintenance checks (certificates, vulnerabilities, ...). @public */
export interface RunbookMaintenanceCheckExtensionPoint {
  addCheck(check: RunbookMaintenanceCheck): void;
}

/** @public */
export const runbookMaintenanceCheckExtensionPoint =
  createExtensionPoint<RunbookMaintenanceCheckExtensionPoint>({
    id: 'runbook.maintenance-check',
  });
