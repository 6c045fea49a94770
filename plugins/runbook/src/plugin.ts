import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';
import { runbookApiFactory } from './api';

/**
 * The runbook plugin for the legacy frontend system.
 * @public
 */
export const runbookPlugin = createPlugin({
  id: 'runbook',
  apis: [runbookApiFactory],
});

/**
 * Card with the service's operational facts from the catalog.
 * @public
 */
export const EntityRunbookServiceCard = runbookPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbookServiceCard',
    component: {
      lazy: () =>
        import('./components/ServiceOpsCard').then(m => m.ServiceOpsCard),
    },
  }),
);
