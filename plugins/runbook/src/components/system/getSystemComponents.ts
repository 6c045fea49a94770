import { Entity } from '@backstage/catalog-model';
import { CatalogApi } from '@backstage/plugin-catalog-react';

/**
 * The Components that are part of the System. The catalog derives `partOf` from
 * `spec.system` and stores it as a full ref, so this finds them whether a service
 * names its system as `media` or `system:default/media`.
 */
export async function getSystemComponents(
  catalogApi: CatalogApi,
  systemRef: string,
): Promise<Entity[]> {
  const { items } = await catalogApi.getEntities({
    filter: { kind: 'component', 'relations.partOf': systemRef },
    fields: [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.title',
      'metadata.annotations',
    ],
  });
  return items;
}
