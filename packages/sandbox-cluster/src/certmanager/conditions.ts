import { timestamp } from '../api/meta';

/** A cert-manager status condition (Certificates and Issuers share the shape). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * Sets one condition as cert-manager's `SetCertificateCondition` does: the transition
 * time moves only when the status changes; reason, message and generation always update.
 */
export function setCondition(
  conditions: Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now = Date.now(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex(c => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const condition: Condition = {
    ...next,
    lastTransitionTime:
      old?.status === next.status && old.lastTransitionTime
        ? old.lastTransitionTime
        : timestamp(now),
  };
  if (i >= 0) list[i] = condition;
  else list.push(condition);
  return list;
}

export function getCondition(
  conditions: Condition[] | undefined,
  type: string,
): Condition | undefined {
  return (conditions ?? []).find(c => c.type === type);
}
