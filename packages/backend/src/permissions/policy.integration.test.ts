import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { runbookActionExecutePermission } from '@nexus-cos/plugin-runbook-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import catalogBackend from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import policyModule from '.';

// Group memberships as the catalog-backed user info would report them.
const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-media'],
  'user:default/dave': ['group:default/team-search'],
  'user:default/erin': ['group:default/team-search'],
  'user:default/lead': ['group:default/platform-lead'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
      };
    },
  }),
});

// Each check crosses two plugins over HTTP; give slow shared CI machines room.
jest.setTimeout(30_000);

// The mock auth services drop the `actor` of on-behalf-of tokens, which the real ones keep.
// The catalog refuses condition requests from a user without an actor, as it does in
// production, so the test restores what the real services report.
const httpAuthWithActorFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const httpAuth = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: httpAuth.issueUserCookie.bind(httpAuth),
      async credentials(...args: Parameters<typeof httpAuth.credentials>) {
        const credentials = await httpAuth.credentials(...args);
        const authorization = String(args[0].headers.authorization);
        const principal = credentials.principal as { userEntityRef?: string };
        return authorization.includes('"obo"') && principal.userEntityRef
          ? mockCredentials.user(principal.userEntityRef, {
              actor: { subject: 'plugin:permission' },
            })
          : credentials;
      },
    } as typeof httpAuth;
  },
});

describe('the Nexus COS policy inside a real permission and catalog backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        permissionBackend,
        catalogBackend,
        policyModule,
        userInfoFactory,
        httpAuthWithActorFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              locations: [
                {
                  type: 'file',
                  target: join(__dirname, '__fixtures__/catalog.yaml'),
                },
              ],
            },
          },
        }),
      ],
    }));
    // The catalog ingests the fixture asynchronously.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/group/default/team-media')
        .set('Authorization', mockCredentials.service.header());
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error('catalog never loaded');
      await new Promise(r => setTimeout(r, 200));
    }
  }, 60_000);

  const execute = async (userRef: string) => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(userRef))
      .send({
        items: [
          {
            id: '1',
            permission: runbookActionExecutePermission,
            resourceRef: 'component:default/media-upload',
          },
        ],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result;
  };

  it('allows a member of the owning group', async () => {
    expect(await execute('user:default/alice')).toBe(AuthorizeResult.ALLOW);
  });

  it("allows whoever covers the owner's on-call now", async () => {
    expect(await execute('user:default/dave')).toBe(AuthorizeResult.ALLOW);
  });

  it('denies someone who neither owns nor is on call', async () => {
    expect(await execute('user:default/erin')).toBe(AuthorizeResult.DENY);
  });

  it('allows the platform lead', async () => {
    expect(await execute('user:default/lead')).toBe(AuthorizeResult.ALLOW);
  });
});
