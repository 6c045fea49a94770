import {
  AuditorService,
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  RESOURCE_TYPE_CATALOG_ENTITY,
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

/** The group that may act on every service. */
export const PLATFORM_LEAD_GROUP = 'group:default/platform-lead';
/** The platform and security groups, who may read the audit trail. */
export const AUDIT_READER_GROUPS = [
  PLATFORM_LEAD_GROUP,
  'group:default/devops',
  'group:default/security',
];

/** The only groups that may restore a database in place. */
export const INPLACE_RESTORE_GROUPS = [
  PLATFORM_LEAD_GROUP,
  'group:default/database-admin',
];
/** The security group: security reads everywhere, access reviews, report uploads. */
export const SECURITY_GROUP = 'group:default/security';
/** Who reviews access and uploads vulnerability reports by hand (CI uses a service token). */
const SECURITY_REVIEWERS = [PLATFORM_LEAD_GROUP, SECURITY_GROUP];

/** Plugins whose own permissions everyone signed in may use. */
const ALLOWED_PREFIXES = [
  'catalog.',
  'scaffolder.',
  'search.',
  'notifications.',
  'signals.',
];

/** Entity permissions for owners, the current on-call and the platform lead. */
const entityChanges = [
  runbookActionExecutePermission,
  runbookIncidentCreatePermission,
  runbookIncidentUpdatePermission,
];
const everyoneReads = [
  runbookActionReadPermission,
  runbookIncidentReadPermission,
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
];

/** Which groups a user is on call for right now (the owner's rotation counts as ownership). */
export interface OnCallLookup {
  groupsOnCall(userEntityRef: string, at: Date): Promise<string[]>;
}

/**
 * The Nexus COS permission policy.
 *
 * - Owners (members of the owning group) and the owner's current on-call may change
 *   their entities; the platform lead may change everything.
 * - Restoring a database in place is for the platform lead and the database admins,
 *   whoever owns the database.
 * - Everyone reads; the audit trail is for the platform and security groups.
 * - Any signed-in person may tick a manual maintenance item: the tick names them.
 * - Security state (certificates, access, vulnerabilities, findings) is read by the
 *   owners, the current on-call, the platform lead and security; access reviews and
 *   report uploads are for security and the platform lead.
 * - `kubernetes.proxy` is denied: the runbook engine is the only write path to clusters.
 * - Anything this policy does not know is denied. Every denial goes to the auditor.
 */
export class NexusCosPolicy implements PermissionPolicy {
  constructor(
    private readonly deps: {
      userInfo: UserInfoService;
      onCall: OnCallLookup;
      auditor: AuditorService;
      now?: () => Date;
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (
      everyoneReads.some(p => isPermission(permission, p)) ||
      ALLOWED_PREFIXES.some(prefix => permission.name.startsWith(prefix))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }

    const info = user
      ? await this.deps.userInfo.getUserInfo(user.credentials)
      : undefined;
    const ownership = info?.ownershipEntityRefs ?? [];

    if (isPermission(permission, kubernetesProxyPermission)) {
      return this.deny(
        permission,
        info,
        'cluster writes go through the runbook engine',
      );
    }
    if (isPermission(permission, runbookAuditReadPermission)) {
      return ownership.some(ref => AUDIT_READER_GROUPS.includes(ref))
        ? { result: AuthorizeResult.ALLOW }
        : this.deny(
            permission,
            info,
            'audit read is for platform and security',
          );
    }
    if (isPermission(permission, runbookRestoreInplacePermission)) {
      return ownership.some(ref => INPLACE_RESTORE_GROUPS.includes(ref))
        ? { result: AuthorizeResult.ALLOW }
        : this.deny(
            permission,
            info,
            'in-place restores are for platform-lead and database-admin',
          );
    }
    if (isPermission(permission, runbookMaintenanceCompletePermission)) {
      return info
        ? { result: AuthorizeResult.ALLOW }
        : this.deny(permission, info, 'a tick needs a signed-in user');
    }
    if (
      isPermission(permission, runbookAccessReviewPermission) ||
      isPermission(permission, runbookVulnerabilityUploadPermission)
    ) {
      return ownership.some(ref => SECURITY_REVIEWERS.includes(ref))
        ? { result: AuthorizeResult.ALLOW }
        : this.deny(permission, info, 'for security and the platform lead');
    }
    const securityRead = isPermission(
      permission,
      runbookSecurityReadPermission,
    );
    if (
      (securityRead || entityChanges.some(p => isPermission(permission, p))) &&
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      if (!info) {
        return this.deny(permission, info, 'needs a signed-in user');
      }
      if (
        ownership.includes(PLATFORM_LEAD_GROUP) ||
        (securityRead && ownership.includes(SECURITY_GROUP))
      ) {
        return { result: AuthorizeResult.ALLOW };
      }
      const onCallFor = await this.deps.onCall.groupsOnCall(
        info.userEntityRef,
        this.deps.now?.() ?? new Date(),
      );
      // The catalog decides against the entity itself: owned by one of the user's
      // groups, or by a group whose rotation has the user on call now.
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: [...new Set([...ownership, ...onCallFor])],
        }),
      );
    }
    return this.deny(permission, info, 'unknown permission');
  }

  private async deny(
    permission: Permission,
    user: BackstageUserInfo | undefined,
    reason: string,
  ): Promise<PolicyDecision> {
    const event = await this.deps.auditor.createEvent({
      eventId: 'permission-denied',
      severityLevel: 'medium',
      meta: {
        permission: permission.name,
        actor: user?.userEntityRef ?? 'anonymous',
      },
    });
    await event.fail({ error: new Error(reason) });
    return { result: AuthorizeResult.DENY };
  }
}
