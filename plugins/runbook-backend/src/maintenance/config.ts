import { Config } from '@backstage/config';
import {
  MAINTENANCE_PERIODS,
  MaintenancePeriod,
} from '@nexus-cos/plugin-runbook-common';
import { Duration, IANAZone } from 'luxon';

/** One entry of `runbook.maintenance.tasks`. */
export type MaintenanceTaskConfig = {
  id: string;
  title: string;
  period: MaintenancePeriod;
  /** The automated check that does it; absent: a person ticks it. */
  check?: string;
  owner?: string;
  system?: string;
  /** After the period's start; default its end. */
  due?: Duration;
  /** Automated: when in the period the check runs; default at its start. */
  runAfter?: Duration;
};

/** `runbook.maintenance.*` with its defaults. */
export type MaintenanceConfig = {
  timezone: string;
  /** Who hears of overdue items whose task names no owner. */
  owner?: string;
  checkIntervalSeconds: number;
  checkTimeoutSeconds: number;
  tasks: MaintenanceTaskConfig[];
  checks: {
    /** CPU or memory headroom below this share of the limits is a finding. */
    headroomPercent: number;
    /** A DR drill older than this is overdue. */
    drillMaxAgeDays: number;
    /** Pod logs read at once by the error-log review. */
    logConcurrency: number;
  };
};

/** A task or schedule id: lower-case letters, digits and "-". */
export const TASK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

function duration(c: Config, key: string, where: string) {
  const text = c.getOptionalString(key);
  if (text === undefined) return undefined;
  const d = Duration.fromISO(text);
  if (!d.isValid || d.toMillis() < 0) {
    throw new Error(
      `${where}.${key}: must be an ISO 8601 duration such as "PT10H" or "P2D", got "${text}"`,
    );
  }
  return d;
}

export function readMaintenanceConfig(root: Config): MaintenanceConfig {
  const c = root.getOptionalConfig('runbook.maintenance');
  const timezone = c?.getOptionalString('timezone') ?? 'UTC';
  if (!IANAZone.isValidZone(timezone)) {
    throw new Error(
      `runbook.maintenance.timezone: must be an IANA time zone, got "${timezone}"`,
    );
  }
  const ids = new Set<string>();
  const tasks = (c?.getOptionalConfigArray('tasks') ?? []).map((t, i) => {
    const where = `runbook.maintenance.tasks[${i}]`;
    const id = t.getString('id');
    if (!TASK_ID_PATTERN.test(id) || ids.has(id)) {
      throw new Error(
        `${where}.id: must be unique, lower-case letters, digits and "-", got "${id}"`,
      );
    }
    ids.add(id);
    const period = t.getString('period') as MaintenancePeriod;
    if (!MAINTENANCE_PERIODS.includes(period)) {
      throw new Error(
        `${where}.period: must be one of ${MAINTENANCE_PERIODS.join(
          ', ',
        )}, got "${period}"`,
      );
    }
    return {
      id,
      title: t.getString('title'),
      period,
      check: t.getOptionalString('check'),
      owner: t.getOptionalString('owner'),
      system: t.getOptionalString('system'),
      due: duration(t, 'due', where),
      runAfter: duration(t, 'runAfter', where),
    };
  });
  return {
    timezone,
    owner: c?.getOptionalString('owner'),
    checkIntervalSeconds: c?.getOptionalNumber('checkIntervalSeconds') ?? 300,
    checkTimeoutSeconds: c?.getOptionalNumber('checkTimeoutSeconds') ?? 600,
    tasks,
    checks: {
      headroomPercent: c?.getOptionalNumber('checks.headroomPercent') ?? 20,
      drillMaxAgeDays: c?.getOptionalNumber('checks.drillMaxAgeDays') ?? 31,
      logConcurrency: c?.getOptionalNumber('checks.logConcurrency') ?? 8,
    },
  };
}
