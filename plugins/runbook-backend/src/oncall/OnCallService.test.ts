import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogContacts } from './CatalogContacts';
import { OnCallService } from './OnCallService';
import { OrgSnapshot } from './OrgSnapshot';

const CHAIN = [
  'platform-lead',
  'devops',
  'database-admin',
  'security',
  'management',
];
const AT = new Date('2026-01-07T10:00:00Z');
const caller = mockCredentials.user('user:default/zoe');

/** A Group with a weekly rotation of `members`, handing over Mondays at 09:00 Berlin. */
const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    annotations: {
      'nexus-cos.io/oncall-rotation': members.join(','),
      'nexus-cos.io/oncall-start': '2026-01-05',
      'nexus-cos.io/oncall-handover': '09:00',
      'nexus-cos.io/oncall-period': 'P1W',
      'nexus-cos.io/oncall-timezone': 'Europe/Berlin',
    },
  },
  spec: { type: 'team', children: [] },
});
const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, annotations: { 'nexus-cos.io/phone': `+49 30 ${name}` } },
  spec: { profile: { displayName: name.toUpperCase(), email: `${name}@x` } },
});
const component = (owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'media-upload', namespace: 'default' },
  spec: { type: 'service', owner, system: 'media', lifecycle: 'production' },
});

const org: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: {
      name: 'nexus-cos',
      annotations: {
        'nexus-cos.io/escalation-chain': CHAIN.map(
          g => `group:default/${g}`,
        ).join(','),
      },
    },
    spec: { owner: 'platform-lead' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'media' },
    spec: { owner: 'team-media', domain: 'nexus-cos' },
  },
  group('team-media', ['alice', 'bob']),
  group('team-search', ['dave', 'erin']),
  ...CHAIN.map(name => group(name, [`${name}-1`, `${name}-2`])),
  ...['alice', 'bob', 'dave', 'erin'].map(user),
  ...CHAIN.flatMap(name => [user(`${name}-1`), user(`${name}-2`)]),
];

/** The catalog, recording each request: its method, caller and what it asked for. */
function recording(catalog: CatalogService) {
  const calls: Array<{ method: string; caller: string; refs?: string[] }> = [];
  const proxy = new Proxy(catalog, {
    get(target, method: keyof CatalogService) {
      const fn = target[method] as (...args: any[]) => unknown;
      return (request: any, options: any) => {
        calls.push({
          method,
          caller:
            options?.credentials?.principal?.userEntityRef ??
            options?.credentials?.principal?.type,
          ...(request?.entityRefs ? { refs: request.entityRefs } : {}),
        });
        return fn.call(target, request, options);
      };
    },
  });
  return { catalog: proxy, calls };
}

async function onCallOver(snapshotOf: Entity[], catalogOf: Entity[]) {
  const snapshot = new OrgSnapshot({
    catalog: catalogServiceMock({ entities: snapshotOf }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    refreshMs: 60_000,
  });
  await snapshot.refresh();
  const { catalog, calls } = recording(
    catalogServiceMock({ entities: catalogOf }),
  );
  const contacts = new CatalogContacts({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    org: snapshot,
  });
  return { service: new OnCallService({ catalog, contacts }), calls, snapshot };
}

describe('OnCallService', () => {
  it("reads the entity and its Groups in one catalog request, with the caller's credentials", async () => {
    const entities = [component('group:default/team-media'), ...org];
    const { service, calls, snapshot } = await onCallOver(entities, entities);
    try {
      const oncall = await service.forEntity(
        { kind: 'component', namespace: 'default', name: 'media-upload' },
        AT,
        caller,
      );
      expect(calls).toEqual([
        {
          method: 'getEntitiesByRefs',
          caller: 'user:default/zoe',
          refs: [
            'component:default/media-upload',
            'group:default/team-media',
            ...CHAIN.map(g => `group:default/${g}`),
          ],
        },
      ]);
      expect(oncall.owner).toMatchObject({
        groupRef: 'group:default/team-media',
        now: {
          contact: { name: expect.any(String), phone: expect.any(String) },
        },
      });
      expect(oncall.owner!.next).toHaveLength(3);
      expect(oncall.escalationChain.map(g => [g.groupRef, !!g.now])).toEqual(
        CHAIN.map(g => [`group:default/${g}`, true]),
      );
    } finally {
      snapshot.stop();
    }
  });

  it('follows an owner the snapshot has not seen yet', async () => {
    const { service, calls, snapshot } = await onCallOver(
      [component('group:default/team-media'), ...org],
      [component('group:default/team-search'), ...org],
    );
    try {
      const oncall = await service.forEntity(
        { kind: 'component', namespace: 'default', name: 'media-upload' },
        AT,
        caller,
      );
      expect(oncall.owner?.groupRef).toBe('group:default/team-search');
      expect(['dave', 'erin']).toContain(
        oncall.owner?.now?.contact.name.toLowerCase(),
      );
      expect(calls.map(c => [c.method, c.caller, c.refs])).toEqual([
        ['getEntitiesByRefs', 'user:default/zoe', expect.any(Array)],
        [
          'getEntitiesByRefs',
          'user:default/zoe',
          ['group:default/team-search'],
        ],
      ]);
    } finally {
      snapshot.stop();
    }
  });

  it('answers 404 for an entity the caller cannot find, and names Groups that are gone', async () => {
    const { service, snapshot } = await onCallOver(org, [
      component('group:default/team-gone'),
      ...org,
    ]);
    try {
      await expect(
        service.forEntity(
          { kind: 'component', namespace: 'default', name: 'nope' },
          AT,
          caller,
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      const oncall = await service.forEntity(
        { kind: 'component', namespace: 'default', name: 'media-upload' },
        AT,
        caller,
      );
      expect(oncall.owner).toEqual({
        groupRef: 'group:default/team-gone',
        name: 'group:default/team-gone',
        next: [],
        problem: 'group:default/team-gone is not in the catalog',
      });
    } finally {
      snapshot.stop();
    }
  });
});
