import { useRouteRef } from '@backstage/core-plugin-api';
import { overviewRouteRef } from '../routes';

/** The path of the ops overview, or undefined when the app has not mounted it. */
export function useOverviewLink(): string | undefined {
  try {
    // useRouteRef throws only after its own hooks ran, so the hook order stays stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(overviewRouteRef)();
  } catch {
    return undefined;
  }
}
