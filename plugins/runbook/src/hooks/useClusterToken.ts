import { useCallback } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import type { ClusterToken } from '@nexus-cos/plugin-runbook-common';

/** The user's token for an auth provider, or undefined when there is none to send. */
export type ClusterTokenFor = (
  authProvider?: string,
) => Promise<ClusterToken | undefined>;

/**
 * The user's token for clusters whose credentials only the user holds, from the stock
 * Kubernetes plugin's auth providers. The api is optional: without the Kubernetes plugin,
 * or when the user declines to sign in, no token is sent and the backend's
 * `cluster-auth-required` reason says what is missing.
 */
export function useClusterToken(): ClusterTokenFor {
  const authProviders = useApiHolder().get(kubernetesAuthProvidersApiRef);
  return useCallback(
    async authProvider => {
      if (!authProvider || !authProviders) return undefined;
      try {
        const { token } = await authProviders.getCredentials(authProvider);
        return token ? { authProvider, token } : undefined;
      } catch {
        return undefined;
      }
    },
    [authProviders],
  );
}
