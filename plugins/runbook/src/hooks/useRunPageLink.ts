import { useRouteRef } from '@backstage/core-plugin-api';
import { runRouteRef } from '../routes';

/**
 * The path of a run's page, or undefined when the app has not mounted the run page:
 * lists then show run ids as text instead of failing.
 */
export function useRunPageLink(): ((runId: string) => string) | undefined {
  let route: ReturnType<typeof useRouteRef<typeof runRouteRef.T>>;
  try {
    // useRouteRef throws only after its own hooks ran, so the hook order stays stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(runRouteRef);
  } catch {
    return undefined;
  }
  return runId => route({ id: runId });
}
