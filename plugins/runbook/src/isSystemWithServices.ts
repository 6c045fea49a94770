import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';

/**
 * True for Systems with Components, whose health and incidents the System cards
 * aggregate; the catalog gives a System a `hasPart` relation to each of them.
 * @public
 */
export const isSystemWithServices = (entity: Entity): boolean =>
  entity.kind.toLocaleLowerCase('en-US') === 'system' &&
  Boolean(
    entity.relations?.some(
      relation =>
        relation.type === RELATION_HAS_PART &&
        parseEntityRef(relation.targetRef).kind.toLocaleLowerCase('en-US') ===
          'component',
    ),
  );
