import { useApi } from '@backstage/frontend-plugin-api';
import type {
  Incident,
  IncidentSeverity,
  IncidentStats,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';
import { LoaderState, useLoader } from './useLoader';

/** How often incident lists on screen are read again, for alerts that open incidents. */
export const INCIDENTS_REFRESH_MS = 30_000;

/** Filters of an incident list; `status` is a phase, `open`, or absent for all. */
export type IncidentFilter = { status?: string; severity?: IncidentSeverity };

/** An entity's incidents as the backend lists them, filtered. */
export function useIncidents(
  entityRef: string,
  filter: IncidentFilter,
): LoaderState<{ items: Incident[] }> {
  const api = useApi(runbookApiRef);
  const { status, severity } = filter;
  return useLoader(
    () => api.listIncidents({ entity: entityRef, status, severity }),
    [api, entityRef, status, severity],
    { refreshMs: INCIDENTS_REFRESH_MS },
  );
}

/** Counts, MTTA and MTTR of an entity's incidents. */
export function useIncidentStats(
  entityRef: string,
): LoaderState<IncidentStats> {
  const api = useApi(runbookApiRef);
  return useLoader(() => api.getIncidentStats(entityRef), [api, entityRef]);
}
