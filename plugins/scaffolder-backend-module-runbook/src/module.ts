import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createRunbookActions } from './actions';
import { createInitiatorClientFactory } from './client/initiatorClient';

/**
 * Adds the `runbook:*` actions to the scaffolder. They reach the runbook backend over HTTP
 * on behalf of the user who runs the template.
 * @public
 */
export const scaffolderModuleRunbook = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'runbook',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        scaffolder.addActions(
          ...createRunbookActions({
            clientFor: createInitiatorClientFactory({ discovery, auth }),
            appBaseUrl: config.getString('app.baseUrl'),
          }),
        );
      },
    });
  },
});
