import type { LiveState, RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import {
  KubernetesClients,
  withApiErrors,
} from '../kubernetes/KubernetesClients';
import { readSnapshot, toLiveState } from '../kubernetes/snapshot';

/** Where the engine reads a service's live state. */
export type LiveStates = {
  /** From the watch cache: what a page view shows, never reaching the cluster. */
  cached(target: RunbookTarget): LiveState;
  /** From the cluster: what a run request is checked against. */
  current(target: RunbookTarget): Promise<LiveState>;
};

/**
 * Live state read from the cluster through its client; a cluster that does not answer
 * in time is a 503 that names it.
 */
export const readLiveState =
  (clients: KubernetesClients) => (target: RunbookTarget) =>
    withApiErrors(async () =>
      toLiveState(await readSnapshot(clients.for(target.cluster), target)),
    ).catch(error => {
      throw clients.unreachable(target.cluster, error);
    });
