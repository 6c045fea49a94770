import { approvalsRouteRef } from '../routes';
import { usePageLink } from './usePageLink';

/** The path of the approvals page, or undefined when the app has not mounted it. */
export const useApprovalsLink = (): string | undefined =>
  usePageLink(approvalsRouteRef);
