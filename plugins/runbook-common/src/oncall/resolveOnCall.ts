import { Entity } from '@backstage/catalog-model';
import { DateTime } from 'luxon';
import { parseOnCallRotation } from './parseOnCallRotation';
import { rotationMember, rotationShiftAt } from './rotationShift';
import { OnCallRotation, OnCallShift } from './types';

/**
 * Who is on call at one instant (equal keys mean the same uninterrupted shift), and the
 * nearest instants around it at which that may change.
 */
type Moment = {
  key: string;
  userRef: string;
  source: OnCallShift['source'];
  reason?: string;
  /** The latest change point <= the instant. */
  changedAtMs: number;
  /** The earliest change point > the instant. */
  changesAtMs: number;
};

function momentAt(rotation: OnCallRotation, atMs: number): Moment {
  const shift = rotationShiftAt(rotation, atMs);
  const overrideEdges = rotation.overrides.flatMap(o => [
    Date.parse(o.start),
    Date.parse(o.end),
  ]);
  const changes = {
    changedAtMs: Math.max(
      shift.startMs,
      ...overrideEdges.filter(t => t <= atMs),
    ),
    changesAtMs: Math.min(shift.endMs, ...overrideEdges.filter(t => t > atMs)),
  };
  // Searched from the end: where overrides overlap, the one listed later wins.
  for (let i = rotation.overrides.length - 1; i >= 0; i--) {
    const o = rotation.overrides[i];
    if (Date.parse(o.start) <= atMs && atMs < Date.parse(o.end)) {
      const reason = o.reason === undefined ? {} : { reason: o.reason };
      return {
        key: `override:${i}`,
        userRef: o.userRef,
        source: 'override',
        ...reason,
        ...changes,
      };
    }
  }
  return {
    key: `rotation:${shift.index}`,
    userRef: rotationMember(rotation, shift.index),
    source: 'rotation',
    ...changes,
  };
}

/** The whole shift that contains atMs, merged across change points that change nothing. */
function shiftAt(rotation: OnCallRotation, atMs: number): OnCallShift {
  if (Number.isNaN(atMs)) {
    throw new Error('Cannot resolve on-call at an invalid date');
  }
  const { key, userRef, source, reason, changedAtMs, changesAtMs } = momentAt(
    rotation,
    atMs,
  );
  let start = changedAtMs;
  for (
    let before = momentAt(rotation, start - 1);
    before.key === key;
    before = momentAt(rotation, start - 1)
  ) {
    start = before.changedAtMs;
  }
  let end = changesAtMs;
  for (
    let after = momentAt(rotation, end);
    after.key === key;
    after = momentAt(rotation, end)
  ) {
    end = after.changesAtMs;
  }
  const iso = (ms: number) =>
    DateTime.fromMillis(ms, { zone: rotation.timezone }).toISO({
      suppressMilliseconds: true,
    })!;
  return {
    userRef,
    groupRef: rotation.groupRef,
    start: iso(start),
    end: iso(end),
    source,
    ...(reason === undefined ? {} : { reason }),
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
