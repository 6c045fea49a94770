import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  OnCallShift,
  parseEscalationChain,
  resolveOnCall,
  upcomingOnCallShifts,
} from '@nexus-cos/plugin-runbook-common';

type CatalogApi = typeof catalogApiRef.T;

/** A shift and the User on it (undefined when the User is not in the catalog). */
export type OnCallPerson = { shift: OnCallShift; user?: Entity };

/** One step of the escalation chain and who answers for it now. */
export type EscalationStep = {
  groupRef: string;
  group?: Entity;
  onCall?: OnCallPerson;
  /** Why no one can be named: no such group, or a broken rotation. */
  problem?: string;
};

/** Who to call about an entity: its owner's rotation and the domain's escalation chain. */
export type OnCallView = {
  ownerRef?: string;
  owner?: Entity;
  /** The current shift first, then the following hand-overs. */
  shifts: OnCallPerson[];
  /** Why the owner's shifts could not be resolved. */
  problem?: string;
  escalation: EscalationStep[];
};

const SHIFTS_SHOWN = 3;

const refOf = (
  entity: Entity,
  value: unknown,
  defaultKind: string,
): string | undefined =>
  typeof value === 'string'
    ? stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind,
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      )
    : undefined;

async function domainOf(
  catalog: CatalogApi,
  entity: Entity,
): Promise<Entity | undefined> {
  if (entity.kind.toLocaleLowerCase('en-US') === 'domain') return entity;
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    const domainRef = refOf(entity, entity.spec?.domain, 'domain');
    return domainRef ? catalog.getEntityByRef(domainRef) : undefined;
  }
  const systemRef = refOf(entity, entity.spec?.system, 'system');
  const system = systemRef && (await catalog.getEntityByRef(systemRef));
  return system ? domainOf(catalog, system) : undefined;
}

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * Resolves on-call on the client from catalog entities with -common's pure functions.
 * The backend's `GET /entities/E/oncall` will answer the same question; `useOnCall`
 * is the one place that picks the source.
 */
export async function onCallFromCatalog(
  catalog: CatalogApi,
  entity: Entity,
  now: Date,
): Promise<OnCallView> {
  const ownerRef = refOf(entity, entity.spec?.owner, 'group');
  const [owner, domain] = await Promise.all([
    ownerRef ? catalog.getEntityByRef(ownerRef) : undefined,
    domainOf(catalog, entity),
  ]);

  let shifts: OnCallShift[] = [];
  let problem: string | undefined;
  try {
    shifts = owner ? upcomingOnCallShifts(owner, now, SHIFTS_SHOWN) : [];
  } catch (error) {
    problem = messageOf(error);
  }

  let chain: string[] = [];
  try {
    chain = domain ? parseEscalationChain(domain) : [];
  } catch (error) {
    problem ??= messageOf(error);
  }
  const { items: groups } = chain.length
    ? await catalog.getEntitiesByRefs({ entityRefs: chain })
    : { items: [] };
  const escalation: EscalationStep[] = chain.map((groupRef, i) => {
    const group = groups[i];
    if (!group) return { groupRef, problem: 'not found in the catalog' };
    try {
      const shift = resolveOnCall(group, now);
      return shift
        ? { groupRef, group, onCall: { shift } }
        : { groupRef, group, problem: 'no on-call rotation' };
    } catch (error) {
      return { groupRef, group, problem: messageOf(error) };
    }
  });

  const userRefs = [
    ...new Set([
      ...shifts.map(s => s.userRef),
      ...escalation.flatMap(s => (s.onCall ? [s.onCall.shift.userRef] : [])),
    ]),
  ];
  const { items: users } = userRefs.length
    ? await catalog.getEntitiesByRefs({ entityRefs: userRefs })
    : { items: [] };
  const userByRef = new Map(userRefs.map((ref, i) => [ref, users[i]]));
  const person = (shift: OnCallShift): OnCallPerson => ({
    shift,
    user: userByRef.get(shift.userRef),
  });

  return {
    ownerRef,
    owner,
    shifts: shifts.map(person),
    problem,
    escalation: escalation.map(step =>
      step.onCall ? { ...step, onCall: person(step.onCall.shift) } : step,
    ),
  };
}
