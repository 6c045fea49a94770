import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  SignalsService,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { runbookPlugin } from '../plugin';
import { sandboxKubernetesConfig } from './sandbox';

/** Users of the tests: the owner may act, the others may only read; the auditor reads the audit. */
export const OWNER = 'user:default/alice';
export const STRANGER = 'user:default/bob';
export const AUDITOR = 'user:default/carol';
/** A database admin: may act like the owner, and alone may restore a database in place. */
export const DBA = 'user:default/dana';

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** A Component with a runbook, like the catalog's services. */
export function component(
  name: string,
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': name,
        'backstage.io/kubernetes-namespace': 'nexus-core',
        'nexus-cos.io/replicas': '1-6',
        'nexus-cos.io/image-repository': `nexus-cos/${name}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/team-a',
      ...spec,
    },
  };
}

/**
 * Stands in for the lead's policy in packages/backend: only the owner (and the DBA) may
 * execute (except on the entities of `denyExecuteOn`), only the DBA may restore in
 * place, the owner and the auditor may read the audit trail, the stranger may not tick
 * maintenance items; the owner and the auditor (standing in for the security group) read
 * security state, only the auditor reviews access and uploads reports, as service tokens
 * do; everyone may read the rest.
 */
const ownerPolicy = (denyExecuteOn: readonly string[] = []) =>
  mockServices.permissions.mock({
    async authorize(requests, options) {
      const user = (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return requests.map(r => {
        const name = r.permission.name;
        const resourceRef = (r as { resourceRef?: string }).resourceRef;
        let allowed = true;
        if (name === 'runbook.action.execute')
          allowed =
            (user === OWNER || user === DBA) &&
            !(resourceRef && denyExecuteOn.includes(resourceRef));
        if (name === 'runbook.restore.inplace') allowed = user === DBA;
        if (name === 'runbook.maintenance.complete')
          allowed = user !== STRANGER;
        if (name === 'runbook.audit.read')
          allowed = user === OWNER || user === AUDITOR;
        if (name === 'runbook.security.read')
          allowed = !user || user === OWNER || user === AUDITOR;
        if (name === 'runbook.access.review') allowed = user === AUDITOR;
        if (name === 'runbook.vulnerability.upload')
          allowed = !user || user === AUDITOR;
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      });
    },
  }).factory;

/** The runbook backend on a test database, with a catalog of `entities` and a cluster at `clusterUrl`. */
export async function startRunbookBackend(options: {
  knex: Knex;
  entities: Entity[];
  clusterUrl: string;
  config?: JsonObject;
  /** Config outside `runbook.*`, e.g. `backend.actions`. */
  rootConfig?: JsonObject;
  /** `allow-all` where jest is absent (a backend in a child process). */
  permissions?: 'owner-policy' | 'allow-all';
  /** Entity refs on which the owner policy denies execute even to the owner. */
  denyExecuteOn?: string[];
  /** Receives the plugin's signals instead of the events bus. */
  signals?: SignalsService;
  /** More features, e.g. modules for the plugin's extension points. */
  features?: BackendFeature[];
}) {
  const backend = await startTestBackend({
    features: [
      runbookPlugin,
      mockServices.database.factory({ knex: options.knex }),
      // The real scheduler: the janitor must run periodically, not only at startup.
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          kubernetes: sandboxKubernetesConfig(options.clusterUrl),
          runbook: {
            defaults: { rolloutTimeoutSeconds: 20, blueGreenMonitorSeconds: 1 },
            engine: {
              pollIntervalMs: 100,
              lockTtlSeconds: 5,
              janitorIntervalSeconds: 1,
            },
            // One security sweep at start: tests that count cluster requests stay quiet.
            security: { refreshIntervalSeconds: 3600 },
            ...(options.config ?? {}),
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      ...(options.signals
        ? [
            createServiceFactory({
              service: signalsServiceRef,
              deps: {},
              factory: () => options.signals!,
            }),
          ]
        : []),
      options.permissions === 'allow-all'
        ? mockServices.permissions.factory({ result: AuthorizeResult.ALLOW })
        : ownerPolicy(options.denyExecuteOn),
      ...(options.features ?? []),
    ],
  });
  return { backend, http: request(backend.server) };
}
