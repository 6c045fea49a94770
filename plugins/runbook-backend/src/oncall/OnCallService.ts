import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityOnCall,
  GroupOnCall,
  OnCallOverview,
} from '@nexus-cos/plugin-runbook-common';
import { CatalogContacts, normalizedRef } from './CatalogContacts';

const key = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Next hand-overs shown for an entity's owner Group. */
const OWNER_HANDOVERS = 3;

/**
 * Ownership, on-call and the escalation chain of entities, from the catalog and the pure
 * rotation function of runbook-common (or the on-call provider). The entity and its
 * Groups are read with the caller's credentials, so the catalog's read permissions apply,
 * in one request: the organisation snapshot says which Groups to ask for, and Users'
 * contacts and the Systems and Domain of the chain come from it.
 */
export class OnCallService {
  constructor(
    private readonly o: { catalog: CatalogService; contacts: CatalogContacts },
  ) {}

  async forEntity(
    ref: CompoundEntityRef,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<EntityOnCall> {
    const { contacts } = this.o;
    const entityRef = stringifyEntityRef(ref);
    const groupsOf = async (e: Entity) => {
      const owner = contacts.ownerOf(e);
      const chain = await contacts.escalationChain(e);
      return { owner, chain };
    };
    // The snapshot's idea of the owner and chain, so that one request reads them all.
    const outline =
      (await contacts.org.org(entityRef)) ??
      (await contacts.org.outline(entityRef));
    const guess = outline ? await groupsOf(outline) : undefined;
    const fetched = await this.#read(
      [entityRef, ...(guess ? [guess.owner, ...guess.chain] : [])],
      credentials,
    );
    const entity = fetched.get(key(entityRef));
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const { owner: ownerRef, chain } = await groupsOf(entity);
    // The entity changed owner or System since the snapshot: read what was not asked.
    const unread = [ownerRef, ...chain].filter(
      (r): r is string => !!r && !fetched.has(key(r)),
    );
    if (unread.length) {
      for (const [k, v] of await this.#read(unread, credentials)) {
        fetched.set(k, v);
      }
    }
    const group = (groupRef: string, nextCount: number) =>
      this.#group(groupRef, fetched.get(key(groupRef)), at, nextCount);
    const [owner, escalationChain] = await Promise.all([
      ownerRef && group(ownerRef, OWNER_HANDOVERS),
      Promise.all(chain.map(groupRef => group(groupRef, 1))),
    ]);
    return {
      entityRef: normalizedRef(entity),
      at: at.toISOString(),
      ...(owner ? { owner } : {}),
      escalationChain,
      source: contacts.source,
    };
  }

  /** The entities of `refs` the caller may read, in one catalog request, by lower-case ref. */
  async #read(
    refs: Array<string | undefined>,
    credentials: BackstageCredentials,
  ): Promise<Map<string, Entity | undefined>> {
    const entityRefs = [...new Set(refs.filter((r): r is string => !!r))];
    const { items } = await this.o.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials },
    );
    return new Map(entityRefs.map((r, i) => [key(r), items[i] ?? undefined]));
  }

  /** Every Group that has someone on call at `at` (or a rotation that is broken). */
  async overview(
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<OnCallOverview> {
    const { items: groups } = await this.o.catalog.getEntities(
      { filter: { kind: 'group' } },
      { credentials },
    );
    const items = await Promise.all(
      groups.map(group => this.o.contacts.groupOnCall(group, at, 1)),
    );
    return {
      at: at.toISOString(),
      items: items
        .filter(g => g.now || g.problem)
        .sort((a, b) => a.groupRef.localeCompare(b.groupRef)),
      source: this.o.contacts.source,
    };
  }

  async #group(
    groupRef: string,
    group: Entity | undefined,
    at: Date,
    nextCount: number,
  ): Promise<GroupOnCall> {
    if (!group) {
      return {
        groupRef,
        name: groupRef,
        next: [],
        problem: `${groupRef} is not in the catalog`,
      };
    }
    return this.o.contacts.groupOnCall(group, at, nextCount);
  }
}
