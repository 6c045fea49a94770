import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { LoaderState, useLoader } from './useLoader';
import { OnCallView, onCallFromCatalog } from './onCallFromCatalog';

/**
 * Who is on call for an entity. Computed from the catalog until the backend serves
 * `GET /entities/E/oncall`; switching the source is a change to this hook only.
 */
export function useOnCall(entity: Entity): LoaderState<OnCallView> {
  const catalog = useApi(catalogApiRef);
  return useLoader(
    () => onCallFromCatalog(catalog, entity, new Date()),
    [catalog, entity],
  );
}
