import { createBackendModule } from '@backstage/backend-plugin-api';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { demoIdentityProviderFactory } from './demoIdentities';

/**
 * The `demo` sign-in provider (development only, see `demoIdentities.ts`). The auth
 * backend only sets it up when `auth.providers.demo` is configured.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-identities',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'demo',
          factory: demoIdentityProviderFactory,
        });
      },
    });
  },
});
