import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_DR_TARGET } from '@nexus-cos/plugin-runbook-common';

/**
 * True for databases the runbook backs up and drills: Resources that name a DR target.
 * @public
 */
export const isDrTarget = (entity: Entity): boolean =>
  Boolean(entity.metadata.annotations?.[ANNOTATION_DR_TARGET]);
