import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import type { EntityOnCall } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { LoaderState, useLoader } from './useLoader';

/**
 * Who is on call for an entity, from the backend's `GET /entities/E/oncall`: it resolves
 * rotations with the same function as the permission policy, or with an on-call provider.
 */
export function useOnCall(entity: Entity): LoaderState<EntityOnCall> {
  const api = useApi(runbookApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useLoader(() => api.getOnCall(entityRef), [api, entityRef]);
}
