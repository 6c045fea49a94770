import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { LoaderState, useLoader } from '../../hooks/useLoader';

/** The catalog's title and `spec.system` of each entity, by entity ref. */
export type CatalogFacts = Map<string, { title?: string; system?: string }>;

/** Looks the entities up in the catalog in one request. */
export function useSystemsOf(entityRefs: string[]): LoaderState<CatalogFacts> {
  const catalogApi = useApi(catalogApiRef);
  const key = entityRefs.join(',');
  return useLoader(async () => {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs,
      fields: ['metadata.title', 'spec.system'],
    });
    return new Map(
      entityRefs.map((ref, i) => [
        ref,
        {
          title: items[i]?.metadata?.title,
          system: items[i]?.spec?.system as string | undefined,
        },
      ]),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
}
