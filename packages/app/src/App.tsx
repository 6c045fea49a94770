import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import userSettingsAppModule from '@backstage/plugin-app-module-user-settings';
import runbookPlugin from '@nexus-cos/plugin-runbook/alpha';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    catalogGraphPlugin,
    orgPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    notificationsPlugin,
    signalsPlugin,
    searchPlugin,
    userSettingsPlugin,
    userSettingsAppModule,
    runbookPlugin,
    signInModule,
  ],
});
