import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { Incident, IncidentStats } from '@nexus-cos/plugin-runbook-common';
import type { CatalogContacts } from '../oncall/CatalogContacts';
import type { IncidentPermissions } from './IncidentPermissions';
import { IncidentFilter, IncidentStore } from './IncidentStore';
import { statsOfTallies } from './stats';

/** Reading incidents: one, a filtered list, an entity's counts, MTTA and MTTR. */
export class IncidentQueries {
  constructor(
    private readonly o: {
      store: IncidentStore;
      permissions: IncidentPermissions;
      contacts: CatalogContacts;
    },
  ) {}

  async get(id: string, credentials: BackstageCredentials): Promise<Incident> {
    await this.o.permissions.requireRead(credentials);
    return loadIncident(this.o.store, id);
  }

  async list(
    filter: IncidentFilter,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<Incident[]> {
    await this.o.permissions.requireRead(credentials);
    return this.o.store.list(filter, limit);
  }

  async stats(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<IncidentStats> {
    await this.o.permissions.requireRead(credentials);
    if (!(await this.o.contacts.exists(entityRef))) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return statsOfTallies(entityRef, await this.o.store.tallyFor(entityRef));
  }
}

/** The incident with this id, or a 404 that does not echo a long id back. */
export async function loadIncident(
  store: IncidentStore,
  id: string,
): Promise<Incident> {
  if (!/^[0-9a-f-]{36}$/.test(id)) {
    throw new NotFoundError(`No incident ${id.slice(0, 64)}`);
  }
  const incident = await store.get(id);
  if (!incident) throw new NotFoundError(`No incident ${id}`);
  return incident;
}
