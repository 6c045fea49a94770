import { Entity } from '@backstage/catalog-model';
import { DateTime } from 'luxon';
import { parseOnCallRotation } from './parseOnCallRotation';
import { rotationMember, rotationShiftAt } from './rotationShift';
import { OnCallRotation, OnCallShift } from './types';

/** Who is on call at one instant; equal keys mean the same uninterrupted shift. */
type Assignment = {
  key: string;
  userRef: string;
  source: OnCallShift['source'];
  reason?: string;
};

function assignmentAt(rotation: OnCallRotation, atMs: number): Assignment {
  // Searched from the end: where overrides overlap, the one listed later wins.
  for (let i = rotation.overrides.length - 1; i >= 0; i--) {
    const o = rotation.overrides[i];
    if (Date.parse(o.start) <= atMs && atMs < Date.parse(o.end)) {
      return {
        key: `override:${i}`,
        userRef: o.userRef,
        source: 'override',
        reason: o.reason,
      };
    }
  }
  const { index } = rotationShiftAt(rotation, atMs);
  return {
    key: `rotation:${index}`,
    userRef: rotationMember(rotation, index),
    source: 'rotation',
  };
}

function overrideBoundaries(rotation: OnCallRotation): number[] {
  return rotation.overrides.flatMap(o => [
    Date.parse(o.start),
    Date.parse(o.end),
  ]);
}

/** The latest instant <= atMs at which the assignment may change. */
function previousChange(rotation: OnCallRotation, atMs: number): number {
  const candidates = overrideBoundaries(rotation).filter(t => t <= atMs);
  return Math.max(rotationShiftAt(rotation, atMs).startMs, ...candidates);
}

/** The earliest instant > atMs at which the assignment may change. */
function nextChange(rotation: OnCallRotation, atMs: number): number {
  const candidates = overrideBoundaries(rotation).filter(t => t > atMs);
  return Math.min(rotationShiftAt(rotation, atMs).endMs, ...candidates);
}

/** The whole shift that contains atMs, merged across boundaries that change nothing. */
function shiftAt(rotation: OnCallRotation, atMs: number): OnCallShift {
  const assignment = assignmentAt(rotation, atMs);
  let start = previousChange(rotation, atMs);
  while (assignmentAt(rotation, start - 1).key === assignment.key) {
    start = previousChange(rotation, start - 1);
  }
  let end = nextChange(rotation, atMs);
  while (assignmentAt(rotation, end).key === assignment.key) {
    end = nextChange(rotation, end);
  }
  const iso = (ms: number) =>
    DateTime.fromMillis(ms, { zone: rotation.timezone }).toISO({
      suppressMilliseconds: true,
    })!;
  return {
    userRef: assignment.userRef,
    groupRef: rotation.groupRef,
    start: iso(start),
    end: iso(end),
    source: assignment.source,
    ...(assignment.reason === undefined ? {} : { reason: assignment.reason }),
  };
}

/**
 * The shift of `group` that contains the instant `at`, or undefined when the group has no
 * rotation. Throws like {@link parseOnCallRotation} on malformed annotations.
 * @public
 */
export function resolveOnCall(
  group: Entity,
  at: Date,
): OnCallShift | undefined {
  const rotation = parseOnCallRotation(group);
  return rotation && shiftAt(rotation, at.getTime());
}

/**
 * `count` consecutive shifts of `group`: the one that contains `from` first, then each
 * following hand-over. Overrides split the shifts they interrupt. Empty when the group has
 * no rotation.
 * @public
 */
export function upcomingOnCallShifts(
  group: Entity,
  from: Date,
  count: number,
): OnCallShift[] {
  const rotation = parseOnCallRotation(group);
  const shifts: OnCallShift[] = [];
  let atMs = from.getTime();
  while (rotation && shifts.length < count) {
    const shift = shiftAt(rotation, atMs);
    shifts.push(shift);
    atMs = Date.parse(shift.end);
  }
  return shifts;
}
