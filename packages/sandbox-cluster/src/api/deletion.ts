import { timestamp } from './meta';
import { ResourceType } from './resources';
import { KubeObject } from '../store/types';

/** Options of a delete, from query parameters or a DeleteOptions body. */
export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Finalizers the garbage collector acts on. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/**
 * What a delete request does to an object: remove it now, mark it (deletionTimestamp,
 * finalizers) so that a controller removes it later, or nothing (already deleting).
 */
export type DeletionPlan =
  | { action: 'remove' }
  | { action: 'mark'; object: KubeObject }
  | { action: 'none' };

/**
 * The apiserver's deletion rules. Scheduled pods terminate gracefully for their grace
 * period; Foreground and Orphan propagation, and namespaces, wait on finalizers;
 * everything else goes at once (its dependents follow through the garbage collector).
 */
export function planDeletion(
  r: ResourceType,
  current: KubeObject,
  opts: DeleteOptions,
): DeletionPlan {
  const next = structuredClone(current);
  const meta = next.metadata;
  const finalizers = new Set(meta.finalizers ?? []);
  if (opts.propagationPolicy === 'Foreground')
    finalizers.add(FOREGROUND_FINALIZER);
  if (opts.propagationPolicy === 'Orphan') finalizers.add(ORPHAN_FINALIZER);
  if (r.kind === 'Namespace') finalizers.add('kubernetes');

  if (r.kind === 'Pod') {
    const grace =
      opts.gracePeriodSeconds ??
      current.spec?.terminationGracePeriodSeconds ??
      30;
    if (meta.deletionTimestamp) {
      // Already terminating: only a forced (zero-grace) delete changes anything.
      return grace === 0 ? { action: 'remove' } : { action: 'none' };
    }
    if (grace > 0 && current.spec?.nodeName) {
      // The pod shows as Terminating until the pod lifecycle controller removes it.
      meta.deletionTimestamp = timestamp(Date.now() + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
      if (finalizers.size) meta.finalizers = [...finalizers];
      return { action: 'mark', object: next };
    }
  }
  if (meta.deletionTimestamp) return { action: 'none' };
  if (finalizers.size === 0) return { action: 'remove' };
  meta.deletionTimestamp = timestamp();
  meta.deletionGracePeriodSeconds = 0;
  meta.finalizers = [...finalizers];
  if (r.kind === 'Namespace') next.status = { phase: 'Terminating' };
  return { action: 'mark', object: next };
}
