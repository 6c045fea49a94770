import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';

const PARTS: Record<string, string> = { system: 'component', domain: 'system' };

/**
 * True for the scopes of fleet runs: a System with Components, or a Domain with Systems
 * (the catalog gives each a `hasPart` relation to its parts).
 * @public
 */
export const isFleetScope = (entity: Entity): boolean => {
  const part = PARTS[entity.kind.toLocaleLowerCase('en-US')];
  return Boolean(
    part &&
      entity.relations?.some(
        relation =>
          relation.type === RELATION_HAS_PART &&
          parseEntityRef(relation.targetRef).kind.toLocaleLowerCase('en-US') ===
            part,
      ),
  );
};
