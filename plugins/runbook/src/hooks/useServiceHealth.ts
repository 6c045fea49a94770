import { useApi } from '@backstage/frontend-plugin-api';
import type { ServiceHealth } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { LoaderState, useLoader } from './useLoader';

/** A service's health from the backend's watch cache and metrics provider. */
export function useServiceHealth(
  entityRef: string,
): LoaderState<ServiceHealth> {
  const api = useApi(runbookApiRef);
  return useLoader(() => api.getHealth(entityRef), [api, entityRef]);
}
