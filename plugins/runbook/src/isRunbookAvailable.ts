import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_KUBERNETES_ID } from '@nexus-cos/plugin-runbook-common';

/**
 * True for entities the runbook can act on: services that name their Kubernetes workload.
 * @public
 */
export const isRunbookAvailable = (entity: Entity): boolean =>
  Boolean(entity.metadata.annotations?.[ANNOTATION_KUBERNETES_ID]);
