import { Config } from '@backstage/config';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_TIER,
  ActiveFreeze,
} from '@nexus-cos/plugin-runbook-common';
import { DateTime, Duration } from 'luxon';
import { rrulestr } from 'rrule';

/** Which entities a freeze covers: all, one System's, or one tier's. */
export type FreezeScope = { system?: string; tier?: string };

/** One change freeze of `runbook.freezes`, either recurring or between two dates. */
export type Freeze = {
  name: string;
  reason?: string;
  scope: FreezeScope;
  /** The windows that contain `at`, as [start, end) instants. */
  windowAt(at: Date): { start: Date; end: Date } | undefined;
};

function recurring(rule: string, duration: Duration, name: string) {
  let parsed;
  try {
    parsed = rrulestr(rule);
  } catch (error) {
    throw new Error(
      `runbook.freezes ${name}: rrule is not an RFC 5545 rule: ${
        (error as Error).message
      }`,
    );
  }
  return (at: Date) => {
    const since = new Date(at.getTime() - duration.toMillis());
    const start = parsed.between(since, at, true).at(-1);
    if (!start) return undefined;
    const end = new Date(start.getTime() + duration.toMillis());
    return at < end ? { start, end } : undefined;
  };
}

function fixed(startText: string, endText: string, name: string) {
  const start = DateTime.fromISO(startText, { setZone: true });
  const end = DateTime.fromISO(endText, { setZone: true });
  if (!start.isValid || !end.isValid || end <= start) {
    throw new Error(
      `runbook.freezes ${name}: start and end must be ISO 8601 instants with offsets, start before end`,
    );
  }
  return (at: Date) =>
    at >= start.toJSDate() && at < end.toJSDate()
      ? { start: start.toJSDate(), end: end.toJSDate() }
      : undefined;
}

/**
 * `runbook.freezes`: each a calendar window, recurring (`rrule`, RFC 5545 with its
 * DTSTART and TZID, plus an ISO 8601 `duration`) or fixed (`start` and `end` with
 * offsets), over every service, one System's or one tier's.
 */
export function readFreezes(root: Config): Freeze[] {
  return (root.getOptionalConfigArray('runbook.freezes') ?? []).map(c => {
    const name = c.getString('name');
    const rule = c.getOptionalString('rrule');
    let windowAt: Freeze['windowAt'];
    if (rule) {
      const duration = Duration.fromISO(c.getString('duration'));
      if (!duration.isValid || duration.toMillis() <= 0) {
        throw new Error(
          `runbook.freezes ${name}: duration must be an ISO 8601 duration such as PT64H`,
        );
      }
      windowAt = recurring(rule, duration, name);
    } else {
      windowAt = fixed(c.getString('start'), c.getString('end'), name);
    }
    return {
      name,
      reason: c.getOptionalString('reason'),
      scope: {
        system: c.getOptionalString('scope.system'),
        tier: c.getOptionalString('scope.tier'),
      },
      windowAt,
    };
  });
}

/** Whether a freeze's scope covers the entity. */
function covers(scope: FreezeScope, entity: Entity): boolean {
  if (
    scope.tier &&
    entity.metadata.annotations?.[ANNOTATION_TIER] !== scope.tier
  )
    return false;
  if (scope.system) {
    const system = entity.spec?.system;
    if (typeof system !== 'string') return false;
    const wanted = parseEntityRef(scope.system, { defaultKind: 'system' });
    const own = parseEntityRef(system, {
      defaultKind: 'system',
      defaultNamespace: entity.metadata.namespace,
    });
    return wanted.name === own.name && wanted.namespace === own.namespace;
  }
  return true;
}

/** The freeze in force for the entity at `at`, if any. */
export function activeFreeze(
  freezes: Freeze[],
  entity: Entity,
  at: Date,
): ActiveFreeze | undefined {
  for (const freeze of freezes) {
    if (!covers(freeze.scope, entity)) continue;
    const window = freeze.windowAt(at);
    if (window) {
      return {
        name: freeze.name,
        ...(freeze.reason ? { reason: freeze.reason } : {}),
        until: window.end.toISOString(),
      };
    }
  }
  return undefined;
}
