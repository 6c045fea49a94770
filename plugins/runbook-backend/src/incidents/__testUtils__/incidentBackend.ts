import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { runbookPlugin } from '../../plugin';

/** Alice belongs to team-a, which owns `payments`; Bob is in no team of these services. */
export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CHAIN = [
  'group:default/platform-lead',
  'group:default/devops',
  'group:default/database-admin',
];

export const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
/** An external caller with a static token, as Alertmanager is. */
export const asService = () => ({
  Authorization: mockCredentials.service.header(),
});

const meta = (name: string, annotations: Record<string, string> = {}) => ({
  name,
  namespace: 'default',
  annotations,
});

function service(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: meta(name, {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'nexus-pay',
    }),
    spec: { type: 'service', lifecycle: 'production', owner, system: 'pay' },
  };
}

const group = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: meta(name, annotations),
  spec: { type: 'team', children: [] },
});

/** Two services in a system of a domain with a three-step escalation chain. */
export const ENTITIES: Entity[] = [
  service('payments', 'team-a'),
  service('ledger', 'team-b'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: meta('pay'),
    spec: { owner: 'team-a', domain: 'nexus-cos' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: meta('nexus-cos', {
      'nexus-cos.io/escalation-chain': CHAIN.join(','),
    }),
    spec: { owner: 'platform-lead' },
  },
  group('team-a', {
    'nexus-cos.io/oncall-rotation': 'alice,carol',
    'nexus-cos.io/oncall-start': '2026-01-05',
    'nexus-cos.io/oncall-handover': '09:00',
    'nexus-cos.io/oncall-period': 'P1W',
    'nexus-cos.io/oncall-timezone': 'Europe/Berlin',
  }),
  group('team-b'),
  ...CHAIN.map(ref => group(ref.split('/')[1])),
];

/**
 * Stands in for the lead's policy: Alice may declare and change incidents, as may services
 * (Alertmanager); Bob may only read.
 */
const policy = () =>
  mockServices.permissions.mock({
    async authorize(requests, options) {
      const principal = options.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      return requests.map(r => {
        const writes = r.permission.name !== 'runbook.incident.read';
        const allowed =
          !writes ||
          principal.type === 'service' ||
          principal.userEntityRef === ALICE;
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      });
    },
  }).factory;

/**
 * The runbook backend with the real scheduler on a test database. Notifications are
 * recorded in `sent`, or, with `notificationsBackend`, delivered by the real notifications
 * plugin in the same backend, which resolves Groups to their members through the catalog.
 */
export async function startIncidentBackend(options: {
  /** The runbook's database; without it each plugin gets its own in-memory SQLite. */
  knex?: Knex;
  config?: JsonObject;
  entities?: Entity[];
  notificationsBackend?: boolean;
}) {
  const sent: NotificationSendOptions[] = [];
  const recorder = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(notification: NotificationSendOptions) {
        sent.push(notification);
      },
    }),
  });
  const backend = await startTestBackend({
    features: [
      runbookPlugin,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      schedulerServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          runbook: {
            incidents: { escalationCheckSeconds: 1, ...(options.config ?? {}) },
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities ?? ENTITIES }),
      policy(),
      options.notificationsBackend ? notificationsPlugin : recorder,
    ],
  });
  return { backend, http: request(backend.server), sent };
}
