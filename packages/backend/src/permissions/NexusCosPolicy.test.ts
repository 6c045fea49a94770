import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  runbookActionExecutePermission,
  runbookActionReadPermission,
  runbookAuditReadPermission,
  runbookIncidentCreatePermission,
  runbookIncidentReadPermission,
  runbookIncidentUpdatePermission,
  runbookMaintenanceCompletePermission,
  runbookRestoreInplacePermission,
  runbookAccessReviewPermission,
  runbookSecurityReadPermission,
  runbookVulnerabilityUploadPermission,
} from '@nexus-cos/plugin-runbook-common';
import { NexusCosPolicy } from './NexusCosPolicy';

const ALICE = 'user:default/alice';

function setup(opts: { ownership?: string[]; onCallFor?: string[] } = {}) {
  const auditor = mockServices.auditor.mock();
  const fail = jest.fn();
  auditor.createEvent.mockResolvedValue({ success: jest.fn(), fail });
  const groupsOnCall = jest.fn().mockResolvedValue(opts.onCallFor ?? []);
  const policy = new NexusCosPolicy({
    userInfo: mockServices.userInfo({
      userEntityRef: ALICE,
      ownershipEntityRefs: [ALICE, ...(opts.ownership ?? [])],
    }),
    auditor,
    onCall: { groupsOnCall },
    now: () => new Date('2026-11-26T10:00:00Z'),
  });
  const user = {
    credentials: mockCredentials.user(ALICE),
    info: { userEntityRef: ALICE, ownershipEntityRefs: [ALICE] },
  };
  return { policy, user, auditor, fail, groupsOnCall };
}

describe('NexusCosPolicy', () => {
  it.each([
    ['catalog', catalogEntityReadPermission],
    ['runbook actions', runbookActionReadPermission],
    ['incidents', runbookIncidentReadPermission],
    ['kubernetes clusters', kubernetesClustersReadPermission],
    ['kubernetes resources', kubernetesResourcesReadPermission],
    [
      'scaffolder',
      createPermission({ name: 'scaffolder.task.create', attributes: {} }),
    ],
    ['search', createPermission({ name: 'search.query', attributes: {} })],
  ])('lets everyone read %s', async (_, permission) => {
    const { policy, user } = setup();
    await expect(policy.handle({ permission }, user)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('denies the kubernetes proxy even to the platform lead, and audits it', async () => {
    const { policy, user, auditor, fail } = setup({
      ownership: ['group:default/platform-lead'],
    });
    await expect(
      policy.handle({ permission: kubernetesProxyPermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'permission-denied',
        meta: { permission: 'kubernetes.proxy', actor: ALICE },
      }),
    );
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('denies permissions it does not know', async () => {
    const { policy, user, fail } = setup({
      ownership: ['group:default/platform-lead'],
    });
    const permission = createPermission({
      name: 'someplugin.delete-everything',
      attributes: { action: 'delete' },
    });
    await expect(policy.handle({ permission }, user)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['platform-lead', AuthorizeResult.ALLOW],
    ['devops', AuthorizeResult.ALLOW],
    ['security', AuthorizeResult.ALLOW],
    ['team-media', AuthorizeResult.DENY],
  ])('audit read for group %s: %s', async (group, result) => {
    const { policy, user } = setup({ ownership: [`group:default/${group}`] });
    await expect(
      policy.handle({ permission: runbookAuditReadPermission }, user),
    ).resolves.toEqual({ result });
  });

  it.each(
    [
      runbookActionExecutePermission,
      runbookIncidentCreatePermission,
      runbookIncidentUpdatePermission,
    ].map(p => [p.name, p] as const),
  )('lets the platform lead use %s on every entity', async (_, permission) => {
    const { policy, user, groupsOnCall } = setup({
      ownership: ['group:default/platform-lead'],
    });
    await expect(policy.handle({ permission }, user)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(groupsOnCall).not.toHaveBeenCalled();
  });

  it('leaves entity changes to the catalog: owners and the current on-call', async () => {
    const { policy, user, groupsOnCall } = setup({
      ownership: ['group:default/team-media'],
      onCallFor: ['group:default/team-search'],
    });
    const decision = (await policy.handle(
      { permission: runbookActionExecutePermission },
      user,
    )) as ConditionalPolicyDecision;

    expect(groupsOnCall).toHaveBeenCalledWith(
      ALICE,
      new Date('2026-11-26T10:00:00Z'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: [
            ALICE,
            'group:default/team-media',
            'group:default/team-search',
          ],
        },
      },
    });
  });

  it.each([
    ['platform-lead', AuthorizeResult.ALLOW],
    ['database-admin', AuthorizeResult.ALLOW],
    ['devops', AuthorizeResult.DENY],
    ['security', AuthorizeResult.DENY],
    // Owning the database is not enough to replace its data.
    ['team-data', AuthorizeResult.DENY],
  ])(
    'restoring in place for group %s: %s, never conditional on the entity',
    async (group, result) => {
      const { policy, user, fail, groupsOnCall } = setup({
        ownership: [`group:default/${group}`],
        onCallFor: ['group:default/team-data'],
      });
      await expect(
        policy.handle({ permission: runbookRestoreInplacePermission }, user),
      ).resolves.toEqual({ result });
      expect(fail).toHaveBeenCalledTimes(
        result === AuthorizeResult.DENY ? 1 : 0,
      );
      expect(groupsOnCall).not.toHaveBeenCalled();
    },
  );

  it('denies restoring in place without a signed-in user, and audits it', async () => {
    const { policy, auditor, fail } = setup();
    await expect(
      policy.handle({ permission: runbookRestoreInplacePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: { permission: 'runbook.restore.inplace', actor: 'anonymous' },
      }),
    );
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('lets any signed-in person tick a maintenance item, and nobody else', async () => {
    const { policy, user, fail } = setup({
      ownership: ['group:default/team-media'],
    });
    await expect(
      policy.handle({ permission: runbookMaintenanceCompletePermission }, user),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: runbookMaintenanceCompletePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it('denies entity changes without a signed-in user', async () => {
    const { policy, fail } = setup();
    await expect(
      policy.handle({ permission: runbookActionExecutePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['platform-lead', AuthorizeResult.ALLOW],
    ['security', AuthorizeResult.ALLOW],
  ])("lets %s read every entity's security state", async (group, result) => {
    const { policy, user, groupsOnCall } = setup({
      ownership: [`group:default/${group}`],
    });
    await expect(
      policy.handle({ permission: runbookSecurityReadPermission }, user),
    ).resolves.toEqual({ result });
    expect(groupsOnCall).not.toHaveBeenCalled();
  });

  it('leaves security reads of others to the catalog: owners and the current on-call', async () => {
    const { policy, user } = setup({
      ownership: ['group:default/team-media'],
      onCallFor: ['group:default/team-search'],
    });
    await expect(
      policy.handle({ permission: runbookSecurityReadPermission }, user),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: [
            ALICE,
            'group:default/team-media',
            'group:default/team-search',
          ],
        },
      },
    });
  });

  it('denies security reads without a signed-in user', async () => {
    const { policy, fail } = setup();
    await expect(
      policy.handle({ permission: runbookSecurityReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    expect(fail).toHaveBeenCalledTimes(1);
  });

  it.each(
    [
      runbookAccessReviewPermission,
      runbookVulnerabilityUploadPermission,
    ].flatMap(permission =>
      [
        ['platform-lead', AuthorizeResult.ALLOW],
        ['security', AuthorizeResult.ALLOW],
        ['devops', AuthorizeResult.DENY],
        ['team-media', AuthorizeResult.DENY],
      ].map(
        ([group, result]) =>
          [permission.name, group, result, permission] as const,
      ),
    ),
  )(
    '%s for group %s: %s, denials audited',
    async (_, group, result, permission) => {
      const { policy, user, fail } = setup({
        ownership: [`group:default/${group}`],
        // Being on call for the owner does not make one a reviewer.
        onCallFor: ['group:default/team-media'],
      });
      await expect(policy.handle({ permission }, user)).resolves.toEqual({
        result,
      });
      expect(fail).toHaveBeenCalledTimes(
        result === AuthorizeResult.DENY ? 1 : 0,
      );
    },
  );
});
