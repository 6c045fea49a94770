import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
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

/** Next hand-overs shown for an entity's owner Group. */
const OWNER_HANDOVERS = 3;

/**
 * Ownership, on-call and the escalation chain of entities, from the catalog and the pure
 * rotation function of runbook-common (or the on-call provider). The entity and the Groups
 * are read with the caller's credentials, so the catalog's read permissions apply.
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
    const entity = await this.o.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(ref)} in the catalog`,
      );
    }
    const ownerRef = this.o.contacts.ownerOf(entity);
    const [owner, chain] = await Promise.all([
      ownerRef && this.#group(ownerRef, at, OWNER_HANDOVERS, credentials),
      this.o.contacts.escalationChain(entity),
    ]);
    return {
      entityRef: normalizedRef(entity),
      at: at.toISOString(),
      ...(owner ? { owner } : {}),
      escalationChain: await Promise.all(
        chain.map(groupRef => this.#group(groupRef, at, 1, credentials)),
      ),
      source: this.o.contacts.source,
    };
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
    at: Date,
    nextCount: number,
    credentials: BackstageCredentials,
  ): Promise<GroupOnCall> {
    const group = await this.o.catalog.getEntityByRef(groupRef, {
      credentials,
    });
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
