import type { ActionLimits } from '../limits';

/** Form hints that several actions share. */
export const replicaRangeHint = (limits: ActionLimits) =>
  `Between ${limits.replicas.min} and ${limits.replicas.max}`;

export const imageHint = (limits: ActionLimits) =>
  limits.imageRepository
    ? `${limits.imageRepository}:<tag>`
    : '<repository>:<tag>';
