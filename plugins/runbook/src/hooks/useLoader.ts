import { DependencyList, useCallback, useEffect, useState } from 'react';

/** The state of one asynchronous load. */
export type LoaderState<T> = {
  value?: T;
  error?: Error;
  loading: boolean;
  /** Loads again, keeping the old value on screen until the new one arrives. */
  reload: () => void;
};

/**
 * Runs `load` when `deps` change and on `reload`. Answers of superseded loads are dropped,
 * so a slow earlier request never overwrites a newer one.
 */
export function useLoader<T>(
  load: () => Promise<T>,
  deps: DependencyList,
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
  return { ...state, loading, reload };
}
