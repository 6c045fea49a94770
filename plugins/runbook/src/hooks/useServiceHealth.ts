import { useApi } from '@backstage/frontend-plugin-api';
import type { ServiceHealth } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { useClusterAuthLoader } from './useClusterAuthLoader';
import { LoaderState } from './useLoader';

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
  );
}
