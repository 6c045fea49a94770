import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  Run,
  RunLogEntry,
  RunSignal,
  RUNS_SIGNAL_CHANNEL,
  TERMINAL_RUN_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import { runbookApiRef } from '../api';

/** Polling interval without signals, and the slower safety net beside them. */
const POLL_MS = 2000;
const POLL_WITH_SIGNALS_MS = 15000;

/** A run as it progresses: its state, its step log, and a way to cancel it. */
export type RunProgressState = {
  run?: Run;
  log: RunLogEntry[];
  error?: Error;
  cancel: () => Promise<void>;
  cancelError?: Error;
  /** Reads the run again now, e.g. after a decision on its approval. */
  refresh: () => Promise<void>;
};

export const isTerminal = (run?: Run) =>
  Boolean(run && TERMINAL_RUN_STATUSES.includes(run.status));

/**
 * Follows one run. A signal naming the run triggers a fetch of the run and its new log
 * lines: the server stays the source of truth, so only `runId` is read from the message.
 * Without the signals API it polls every 2 s until the run is terminal.
 */
export function useRunProgress(runId: string): RunProgressState {
  const api = useApi(runbookApiRef);
  const signalApi = useApiHolder().get(signalApiRef);
  const [run, setRun] = useState<Run>();
  const [log, setLog] = useState<RunLogEntry[]>([]);
  const [error, setError] = useState<Error>();
  const [cancelError, setCancelError] = useState<Error>();
  const lastSeq = useRef(0);

  const refresh = useCallback(async () => {
    try {
      const [next, entries] = await Promise.all([
        api.getRun(runId),
        api.getRunLog(runId, { after: lastSeq.current }),
      ]);
      const fresh = entries.items.filter(e => e.seq > lastSeq.current);
      if (fresh.length) {
        lastSeq.current = fresh[fresh.length - 1].seq;
        setLog(old => [...old, ...fresh]);
      }
      // A terminal run never changes again: a late, older answer must not undo it.
      setRun(old => (isTerminal(old) ? old : next));
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, runId]);

  useEffect(() => {
    lastSeq.current = 0;
    setRun(undefined);
    setLog([]);
    setError(undefined);
    refresh();
  }, [refresh]);

  useEffect(() => {
    if (!signalApi) return undefined;
    const subscription = signalApi.subscribe<RunSignal>(
      RUNS_SIGNAL_CHANNEL,
      message => {
        if (message.runId === runId) refresh();
      },
    );
    return () => subscription.unsubscribe();
  }, [signalApi, runId, refresh]);

  const done = isTerminal(run);
  useEffect(() => {
    if (done) return undefined;
    const timer = setInterval(
      refresh,
      signalApi ? POLL_WITH_SIGNALS_MS : POLL_MS,
    );
    return () => clearInterval(timer);
  }, [done, signalApi, refresh]);

  const cancel = useCallback(async () => {
    setCancelError(undefined);
    try {
      const cancelled = await api.cancelRun(runId);
      setRun(old => (isTerminal(old) ? old : cancelled));
    } catch (e) {
      setCancelError(e as Error);
    }
  }, [api, runId]);

  return { run, log, error, cancel, cancelError, refresh };
}
