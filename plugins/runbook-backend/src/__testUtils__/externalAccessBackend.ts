import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Knex } from 'knex';
import { runbookPlugin } from '../plugin';
import { sandboxKubernetesConfig } from './sandbox';

/**
 * The runbook with Backstage's own auth, HTTP auth and permission services, so that the
 * static tokens of `backend.auth.externalAccess` and their `accessRestrictions` are
 * enforced as in production. No cluster answers: the routes under test need none.
 */
export function startExternalAccessBackend(options: {
  knex: Knex;
  entities: Entity[];
  externalAccess: JsonObject[];
}) {
  return startTestBackend({
    features: [
      runbookPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          backend: { auth: { externalAccess: options.externalAccess } },
          kubernetes: sandboxKubernetesConfig('http://127.0.0.1:9'),
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
    ],
  });
}
