import { DependencyList, useRef } from 'react';
import type {
  ClusterAuth,
  ClusterToken,
} from '@nexus-cos/plugin-runbook-common';
import { useClusterToken } from './useClusterToken';
import { LoaderOptions, LoaderState, useLoader } from './useLoader';

/**
 * Loads an answer that may name a cluster read with the user's token (`clusterAuth`).
 * When it does, the load asks for the user's token and reads again with it; without a
 * token the first answer stands, its `cluster-auth-required` reason telling the user
 * what is missing. The provider is remembered, so reloads send the token at once
 * instead of reading twice.
 */
export function useClusterAuthLoader<T extends { clusterAuth?: ClusterAuth }>(
  read: (clusterToken?: ClusterToken) => Promise<T>,
  deps: DependencyList,
  options?: LoaderOptions,
): LoaderState<T> {
  const tokenFor = useClusterToken();
  const known = useRef<string>();
  return useLoader(
    async () => {
      const remembered = known.current;
      const first = await read(await tokenFor(remembered));
      const asked = first.clusterAuth?.authProvider;
      known.current = asked;
      // Already read with this provider's token, or without one for want of it.
      if (!asked || asked === remembered) return first;
      const token = await tokenFor(asked);
      return token ? read(token) : first;
    },
    [tokenFor, ...deps],
    options,
  );
}
