import { DependencyList, useCallback, useEffect, useState } from 'react';

/** The state of one asynchronous load. */
export type LoaderState<T> = {
  value?: T;
  error?: Error;
  loading: boolean;
  /** Loads again, keeping the old value on screen until the new one arrives. */
  reload: () => void;
};

/** `refreshMs`: also load again every so often while the page is visible. */
export type LoaderOptions = { refreshMs?: number };

/**
 * Runs `load` when `deps` change and on `reload`. Answers of superseded loads are dropped,
 * so a slow earlier request never overwrites a newer one.
 */
export function useLoader<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options?: LoaderOptions,
): LoaderState<T> {
  const [state, setState] = useState<{ value?: T; error?: Error }>({});
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableLoad = useCallback(load, deps);

  useEffect(() => {
    let current = true;
    setLoading(true);
    stableLoad()
      .then(
        value => current && setState({ value }),
        error => current && setState({ error }),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [stableLoad, generation]);

  const reload = useCallback(() => setGeneration(g => g + 1), []);

  const refreshMs = options?.refreshMs;
  useEffect(() => {
    if (!refreshMs) return undefined;
    // A hidden tab does not poll; it catches up on the next tick after it shows again.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);

  return { ...state, loading, reload };
}
