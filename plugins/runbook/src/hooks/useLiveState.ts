import { useApi } from '@backstage/frontend-plugin-api';
import type { RunbookResolution } from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { LoaderState, useLoader } from './useLoader';

/**
 * The runbook resolution, for its live colour: health reports Deployments but not which
 * colour the Service selects.
 */
export function useLiveState(
  entityRef: string,
): LoaderState<RunbookResolution> {
  const api = useApi(runbookApiRef);
  return useLoader(() => api.getRunbook(entityRef), [api, entityRef]);
}
