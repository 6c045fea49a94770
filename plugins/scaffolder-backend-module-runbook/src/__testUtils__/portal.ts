import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// Only tests start the engine in-process; the module itself reaches it over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import runbookPlugin from '@nexus-cos/plugin-runbook-backend';
import { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import runbookModule from '../index';

/**
 * The portal's backend for end-to-end tests: the real scaffolder with this module and the
 * real runbook engine, acting on the cluster at `clusterUrl`. With `databases` (a
 * PostgreSQL URL per plugin id) the state outlives the process, and the scaffolder
 * recovers tasks a stopped backend left behind.
 */
export async function startPortal(options: {
  clusterUrl: string;
  entities: JsonObject[];
  runbook?: JsonObject;
  databases?: Record<string, string>;
}) {
  const { databases } = options;
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      runbookModule,
      runbookPlugin,
      // The real scheduler: the engine's janitor must run periodically, not only at startup.
      schedulerServiceFactory,
      catalogServiceMock.factory({ entities: options.entities as any }),
      ...(databases
        ? [
            createServiceFactory({
              service: coreServices.database,
              deps: { plugin: coreServices.pluginMetadata },
              factory: ({ plugin }) => {
                const knex = knexFactory({
                  client: 'pg',
                  connection: databases[plugin.getId()],
                });
                return { getClient: async () => knex };
              },
            }),
          ]
        : []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test' },
          scaffolder: {
            taskRecovery: { enabled: true, staleTimeout: { seconds: 5 } },
          },
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'sandbox',
                    url: options.clusterUrl,
                    authProvider: 'serviceAccount',
                    skipTLSVerify: true,
                  },
                ],
              },
            ],
          },
          runbook: {
            defaults: { rolloutTimeoutSeconds: 10, blueGreenMonitorSeconds: 1 },
            engine: {
              pollIntervalMs: 200,
              lockTtlSeconds: 3,
              janitorIntervalSeconds: 1,
            },
            ...options.runbook,
          },
        },
      }),
    ],
  });
  return { backend, port: backend.server.port() };
}
