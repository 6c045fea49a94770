import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Development sign-in: the guest provider, which the backend resolves to the catalog User
 * `user:default/guest`, so ownership and on-call rules apply to it; in development also
 * the demo identities of `auth.providers.demo` (a team member, a user in no team).
 */
const nexusSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () =>
      import('./NexusSignInPage').then(m => m.NexusSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [nexusSignInPage],
});
