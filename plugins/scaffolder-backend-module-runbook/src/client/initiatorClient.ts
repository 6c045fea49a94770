import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { RunbookClient } from '@nexus-cos/plugin-runbook-common';

/**
 * Makes runbook clients that call the runbook backend on behalf of a user, so that the
 * engine's permission checks, locks and audit see the person who ran the template.
 */
export function createInitiatorClientFactory(services: {
  discovery: DiscoveryService;
  auth: AuthService;
}): (credentials: BackstageCredentials) => RunbookClient {
  return credentials =>
    new RunbookClient({
      discoveryApi: services.discovery,
      fetchApi: {
        fetch: async (input, init) => {
          // A token per request: a run can outlive a token issued when it started.
          const { token } = await services.auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'runbook',
          });
          const headers = new Headers(init?.headers);
          headers.set('Authorization', `Bearer ${token}`);
          return fetch(input, { ...init, headers });
        },
      },
    });
}
