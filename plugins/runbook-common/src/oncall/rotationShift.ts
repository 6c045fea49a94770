import { DateTime } from 'luxon';
import { OnCallRotation } from './types';

/** One shift of the plain rotation, before overrides; index 0 begins at the rotation's start. */
export type RotationShift = { index: number; startMs: number; endMs: number };

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date; plain UTC arithmetic, no time zone involved. */
function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function startEpochDay(rotation: OnCallRotation): number {
  const [year, month, day] = rotation.start.split('-').map(Number);
  return epochDay(year, month, day);
}

/** The instant of the hand-over that begins shift `index`. */
function handoverMs(rotation: OnCallRotation, index: number): number {
  const day = new Date(
    (startEpochDay(rotation) + index * rotation.periodDays) * DAY_MS,
  );
  const [hour, minute] = rotation.handover.split(':').map(Number);
  // Built from the local wall clock, so hand-overs keep their local time across DST changes;
  // a time skipped by spring-forward moves forward by the gap (luxon's rule).
  return DateTime.fromObject(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour,
      minute,
    },
    { zone: rotation.timezone },
  ).toMillis();
}

/** The rotation shift that contains the instant `atMs` (start inclusive, end exclusive). */
export function rotationShiftAt(
  rotation: OnCallRotation,
  atMs: number,
): RotationShift {
  const local = DateTime.fromMillis(atMs, { zone: rotation.timezone });
  const days =
    epochDay(local.year, local.month, local.day) - startEpochDay(rotation);
  // Math.floor keeps instants before the start on the same cycle, counting backwards.
  const index = Math.floor(days / rotation.periodDays);
  const handover = handoverMs(rotation, index);
  if (atMs < handover) {
    // on a hand-over day, before the hand-over time: still the previous shift
    return {
      index: index - 1,
      startMs: handoverMs(rotation, index - 1),
      endMs: handover,
    };
  }
  return { index, startMs: handover, endMs: handoverMs(rotation, index + 1) };
}

/** The member on call for rotation shift `index`. */
export function rotationMember(
  rotation: OnCallRotation,
  index: number,
): string {
  const n = rotation.members.length;
  return rotation.members[((index % n) + n) % n];
}
