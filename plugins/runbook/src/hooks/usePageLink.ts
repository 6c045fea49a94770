import { RouteRef, useRouteRef } from '@backstage/core-plugin-api';

/**
 * The path of one of the plugin's pages (a route without parameters), or undefined when
 * the app has not mounted it: links to it are then left out instead of failing.
 */
export function usePageLink(routeRef: RouteRef<undefined>): string | undefined {
  try {
    // useRouteRef throws only after its own hooks ran, so the hook order stays stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(routeRef)();
  } catch {
    return undefined;
  }
}
