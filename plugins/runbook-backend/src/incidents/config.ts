import { Config } from '@backstage/config';
import {
  DEFAULT_RESPONSE_TARGETS,
  INCIDENT_SEVERITIES,
  IncidentSeverity,
  ResponseTarget,
  ResponseTargets,
} from '@nexus-cos/plugin-runbook-common';
import { DateTime, IANAZone } from 'luxon';

/** `runbook.incidents.*` with defaults applied (see config.d.ts). */
export type IncidentsConfig = {
  targets: ResponseTargets;
  escalationCheckSeconds: number;
  alertmanager: { defaultSeverity: IncidentSeverity };
};

function readTarget(
  c: Config | undefined,
  severity: IncidentSeverity,
): ResponseTarget {
  const key = `severities.${severity}`;
  const minutes = c?.getOptionalNumber(`${key}.respondWithinMinutes`);
  const businessDays = c?.getOptionalNumber(`${key}.respondWithinBusinessDays`);
  if (minutes !== undefined && businessDays !== undefined) {
    throw new Error(
      `runbook.incidents.${key} must set respondWithinMinutes or respondWithinBusinessDays, not both`,
    );
  }
  if (minutes !== undefined) {
    if (!(minutes >= 0))
      throw new Error(
        `runbook.incidents.${key}.respondWithinMinutes must be at least 0`,
      );
    return { minutes };
  }
  if (businessDays !== undefined) {
    if (!Number.isInteger(businessDays) || businessDays < 1)
      throw new Error(
        `runbook.incidents.${key}.respondWithinBusinessDays must be a whole number of at least 1`,
      );
    return { businessDays };
  }
  return DEFAULT_RESPONSE_TARGETS.severities[severity];
}

/** Reads and checks `runbook.incidents`; throws at startup on values that cannot work. */
export function readIncidentsConfig(root: Config): IncidentsConfig {
  const c = root.getOptionalConfig('runbook.incidents');
  const defaults = DEFAULT_RESPONSE_TARGETS.businessHours;
  const timezone =
    c?.getOptionalString('businessHours.timezone') ?? defaults.timezone;
  if (!IANAZone.isValidZone(timezone)) {
    throw new Error(
      `runbook.incidents.businessHours.timezone "${timezone}" is not an IANA time zone`,
    );
  }
  const end = c?.getOptionalString('businessHours.end') ?? defaults.end;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(end)) {
    throw new Error(
      `runbook.incidents.businessHours.end "${end}" must be a time like "17:00"`,
    );
  }
  const days = c?.getOptional<number[]>('businessHours.days') ?? defaults.days;
  if (
    !Array.isArray(days) ||
    !days.length ||
    days.some(d => !Number.isInteger(d) || d < 1 || d > 7)
  ) {
    throw new Error(
      'runbook.incidents.businessHours.days must list ISO weekdays from 1 (Monday) to 7 (Sunday)',
    );
  }
  const holidays =
    c?.getOptionalStringArray('businessHours.holidays') ?? defaults.holidays;
  for (const day of holidays) {
    if (!DateTime.fromISO(day).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      throw new Error(
        `runbook.incidents.businessHours.holidays: "${day}" is not a date like "2026-12-25"`,
      );
    }
  }
  const defaultSeverity = (c?.getOptionalString(
    'alertmanager.defaultSeverity',
  ) ?? 'P2') as IncidentSeverity;
  if (!INCIDENT_SEVERITIES.includes(defaultSeverity)) {
    throw new Error(
      `runbook.incidents.alertmanager.defaultSeverity must be one of ${INCIDENT_SEVERITIES.join(
        ', ',
      )}`,
    );
  }
  return {
    targets: {
      severities: Object.fromEntries(
        INCIDENT_SEVERITIES.map(s => [s, readTarget(c, s)]),
      ) as ResponseTargets['severities'],
      businessHours: { timezone, end, days, holidays },
    },
    escalationCheckSeconds:
      c?.getOptionalNumber('escalationCheckSeconds') ?? 30,
    alertmanager: { defaultSeverity },
  };
}
