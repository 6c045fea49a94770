import { useApi } from '@backstage/frontend-plugin-api';
import type { ServiceHealth } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { useClusterAuthLoader } from './useClusterAuthLoader';
import { LoaderState } from './useLoader';

/** How often health on screen is read again: the backend answers from its cache. */
export const HEALTH_REFRESH_MS = 15_000;

/**
 * A service's health from the backend's watch cache and metrics provider, read with the
 * user's token when its cluster needs one.
 */
export function useServiceHealth(
  entityRef: string,
): LoaderState<ServiceHealth> {
  const api = useApi(runbookApiRef);
  return useClusterAuthLoader(
    clusterToken => api.getHealth(entityRef, { clusterToken }),
    [api, entityRef],
    { refreshMs: HEALTH_REFRESH_MS },
  );
}
