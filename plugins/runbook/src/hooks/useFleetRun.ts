import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  FleetRun,
  TERMINAL_FLEET_RUN_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';

/** How often a fleet run in progress is read again. */
export const FLEET_POLL_MS = 2000;

export const isFleetDone = (fleet?: FleetRun) =>
  Boolean(fleet && TERMINAL_FLEET_RUN_STATUSES.includes(fleet.status));

/** A fleet run as it progresses, a way to read it again at once, and one to cancel it. */
export type FleetRunState = {
  fleet?: FleetRun;
  error?: Error;
  refresh: () => Promise<void>;
  cancel: () => Promise<void>;
  cancelError?: Error;
};

/** Follows one fleet run, reading it every `pollMs` until it has ended. */
export function useFleetRun(id: string, pollMs = FLEET_POLL_MS): FleetRunState {
  const api = useApi(runbookApiRef);
  const [fleet, setFleet] = useState<FleetRun>();
  const [error, setError] = useState<Error>();
  const [cancelError, setCancelError] = useState<Error>();

  const refresh = useCallback(async () => {
    try {
      const next = await api.getFleetRun(id);
      // An ended fleet run never changes again: a late, older answer must not undo it.
      setFleet(old => (isFleetDone(old) ? old : next));
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, id]);

  useEffect(() => {
    setFleet(undefined);
    refresh();
  }, [refresh]);

  const done = isFleetDone(fleet);
  useEffect(() => {
    if (done) return undefined;
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [done, refresh, pollMs]);

  const cancel = useCallback(async () => {
    setCancelError(undefined);
    try {
      const cancelled = await api.cancelFleetRun(id);
      setFleet(old => (isFleetDone(old) ? old : cancelled));
    } catch (e) {
      setCancelError(e as Error);
    }
  }, [api, id]);

  return { fleet, error, refresh, cancel, cancelError };
}
