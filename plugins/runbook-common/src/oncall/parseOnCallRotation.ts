import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import {
  ANNOTATION_ONCALL_HANDOVER,
  ANNOTATION_ONCALL_OVERRIDES,
  ANNOTATION_ONCALL_PERIOD,
  ANNOTATION_ONCALL_ROTATION,
  ANNOTATION_ONCALL_START,
  ANNOTATION_ONCALL_TIMEZONE,
} from '../annotations';
import { OnCallRotation } from './types';
import { parseAnnotation, toEntityRef } from './annotationValues';

const memberListSchema = z
  .string()
  .transform(value => value.split(',').map(member => member.trim()))
  .refine(members => members.every(Boolean), {
    message:
      'expected comma-separated User names such as "alice,bob,carol", found an empty entry',
  });

const startSchema = z.iso.date({
  message: 'expected an ISO local date such as "2026-01-05"',
});

const handoverSchema = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d$/,
    'expected a local time HH:mm such as "09:00"',
  );

// Whole days or weeks only: a hand-over at a fixed wall-clock time needs a period of whole days.
const periodSchema = z
  .string()
  .regex(
    /^P(?:(\d+)W)?(?:(\d+)D)?$/,
    'expected an ISO-8601 duration in whole days or weeks such as "P1D", "P1W" or "P2W"',
  )
  .transform(value => {
    const [, weeks = '0', days = '0'] = /^P(?:(\d+)W)?(?:(\d+)D)?$/.exec(
      value,
    )!;
    return Number(weeks) * 7 + Number(days);
  })
  .refine(days => days >= 1, {
    message: 'the period must be at least one day',
  });

const timezoneSchema = z.string().refine(zone => IANAZone.isValidZone(zone), {
  message: 'expected an IANA time zone such as "Europe/Berlin"',
});

const overrideSchema = z
  .object({
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    user: z.string().min(1),
    reason: z.string().optional(),
  })
  .refine(o => Date.parse(o.start) < Date.parse(o.end), {
    message: 'start must be before end',
  });

const overridesSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a JSON array of overrides',
      });
      return z.NEVER;
    }
  })
  .pipe(z.array(overrideSchema));

const REQUIRED_WITH_ROTATION = [
  ANNOTATION_ONCALL_START,
  ANNOTATION_ONCALL_HANDOVER,
  ANNOTATION_ONCALL_PERIOD,
  ANNOTATION_ONCALL_TIMEZONE,
];

/**
 * Reads a Group's on-call rotation from its annotations (formats in `catalog/README.md`).
 * Returns undefined when the group declares no rotation; throws an Error naming the
 * annotation and the problem when one is missing or malformed.
 * @public
 */
export function parseOnCallRotation(group: Entity): OnCallRotation | undefined {
  const annotations = group.metadata.annotations ?? {};
  if (annotations[ANNOTATION_ONCALL_ROTATION] === undefined) {
    return undefined;
  }
  const groupRef = stringifyEntityRef(group);
  for (const key of REQUIRED_WITH_ROTATION) {
    if (annotations[key] === undefined) {
      throw new Error(
        `Missing annotation ${key} on ${groupRef}: it is required with ${ANNOTATION_ONCALL_ROTATION}`,
      );
    }
  }
  const namespace = group.metadata.namespace ?? 'default';
  const userRef = (key: string, name: string) =>
    toEntityRef(group, key, name, { kind: 'user', namespace });

  const members = parseAnnotation(
    group,
    ANNOTATION_ONCALL_ROTATION,
    memberListSchema,
  );
  const overridesText = annotations[ANNOTATION_ONCALL_OVERRIDES];
  const overrides =
    overridesText === undefined
      ? []
      : parseAnnotation(group, ANNOTATION_ONCALL_OVERRIDES, overridesSchema);

  return {
    groupRef,
    members: members.map(name => userRef(ANNOTATION_ONCALL_ROTATION, name)),
    start: parseAnnotation(group, ANNOTATION_ONCALL_START, startSchema),
    handover: parseAnnotation(
      group,
      ANNOTATION_ONCALL_HANDOVER,
      handoverSchema,
    ),
    periodDays: parseAnnotation(group, ANNOTATION_ONCALL_PERIOD, periodSchema),
    timezone: parseAnnotation(
      group,
      ANNOTATION_ONCALL_TIMEZONE,
      timezoneSchema,
    ),
    overrides: overrides.map(({ start, end, user, reason }) => ({
      start,
      end,
      userRef: userRef(ANNOTATION_ONCALL_OVERRIDES, user),
      ...(reason === undefined ? {} : { reason }),
    })),
  };
}
