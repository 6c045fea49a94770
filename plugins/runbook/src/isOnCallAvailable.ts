import { Entity } from '@backstage/catalog-model';
import { isRunbookAvailable } from './isRunbookAvailable';

/**
 * True where the on-call card has something to say: services, and Systems, whose
 * owner and domain name the team to call and the escalation chain.
 * @public
 */
export const isOnCallAvailable = (entity: Entity): boolean =>
  isRunbookAvailable(entity) ||
  entity.kind.toLocaleLowerCase('en-US') === 'system';
