import { DateTime } from 'luxon';
import { OnCallRotation } from './types';

/** One shift of the plain rotation, before overrides; index 0 begins at the rotation's start. */
export type RotationShift = { index: number; startMs: number; endMs: number };

/** The instant of the hand-over that begins shift `index`. */
function handoverMs(rotation: OnCallRotation, index: number): number {
  const day = DateTime.fromISO(rotation.start, { zone: 'utc' }).plus({
    days: index * rotation.periodDays,
  });
  const [hour, minute] = rotation.handover.split(':').map(Number);
  // Built from the local wall clock, so hand-overs keep their local time across DST changes;
  // a time skipped by spring-forward moves forward by the gap (luxon's rule).
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: rotation.timezone },
  ).toMillis();
}

/** The rotation shift that contains the instant `atMs` (start inclusive, end exclusive). */
export function rotationShiftAt(
  rotation: OnCallRotation,
  atMs: number,
): RotationShift {
  const local = DateTime.fromMillis(atMs, { zone: rotation.timezone });
  const localDay = DateTime.utc(local.year, local.month, local.day);
  const startDay = DateTime.fromISO(rotation.start, { zone: 'utc' });
  const days = Math.round(localDay.diff(startDay, 'days').days);
  // Math.floor keeps instants before the start on the same cycle, counting backwards.
  let index = Math.floor(days / rotation.periodDays);
  if (atMs < handoverMs(rotation, index)) {
    index -= 1; // on a hand-over day, before the hand-over time
  }
  return {
    index,
    startMs: handoverMs(rotation, index),
    endMs: handoverMs(rotation, index + 1),
  };
}

/** The member on call for rotation shift `index`. */
export function rotationMember(
  rotation: OnCallRotation,
  index: number,
): string {
  const n = rotation.members.length;
  return rotation.members[((index % n) + n) % n];
}
