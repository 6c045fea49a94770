import { overviewRouteRef } from '../routes';
import { usePageLink } from './usePageLink';

/** The path of the ops overview, or undefined when the app has not mounted it. */
export const useOverviewLink = (): string | undefined =>
  usePageLink(overviewRouteRef);
