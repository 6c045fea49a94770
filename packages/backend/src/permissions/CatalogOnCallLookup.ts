import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ONCALL_ROTATION,
  resolveOnCall,
} from '@nexus-cos/plugin-runbook-common';
import { OnCallLookup } from './NexusCosPolicy';

const GROUPS_TTL_MS = 60_000;

/**
 * Answers "which groups is this user on call for now" from the catalog's Groups and
 * the pure rotation function of runbook-common. Groups are cached for a minute, so a
 * permission check costs one catalog read per minute at most.
 */
export class CatalogOnCallLookup implements OnCallLookup {
  private cache?: { at: number; groups: Promise<Entity[]> };

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async groupsOnCall(userEntityRef: string, at: Date): Promise<string[]> {
    const groups = await this.rotatingGroups();
    return groups
      .filter(group => {
        try {
          return resolveOnCall(group, at)?.userRef === userEntityRef;
        } catch {
          // A malformed rotation grants nothing; the catalog test reports it.
          return false;
        }
      })
      .map(group => stringifyEntityRef(group));
  }

  private rotatingGroups(): Promise<Entity[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > GROUPS_TTL_MS) {
      const groups = this.fetchGroups();
      this.cache = { at: now, groups };
      // A failed read must not be cached for a minute.
      groups.catch(() => (this.cache = undefined));
    }
    return this.cache.groups;
  }

  private async fetchGroups(): Promise<Entity[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: 'Group',
          [`metadata.annotations.${ANNOTATION_ONCALL_ROTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items;
  }
}
