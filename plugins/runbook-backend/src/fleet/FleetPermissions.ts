import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { runbookActionExecutePermission } from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf, isPerson } from '../http/credentials';

/** Who may run, cancel or complete the approval of a fleet run: the same rule for each. */
export class FleetPermissions {
  constructor(
    private readonly o: { permissions: PermissionsService; audit: AuditTrail },
  ) {}

  /**
   * A person whom the policy lets change every one of `services`, or an audited 403
   * that lists the services they may not change.
   */
  async requireChange(
    scopeRef: string,
    action: string,
    services: string[],
    credentials: BackstageCredentials,
    purpose: 'run' | 'cancel',
    fleetId?: string,
  ) {
    const doing = purpose === 'run' ? `run ${action}` : `cancel ${action}`;
    const deny = async (outcome: string, summary: Record<string, unknown>) =>
      this.o.audit.record({
        event: 'denied',
        actor: actorOf(credentials),
        entityRef: scopeRef,
        action,
        runId: fleetId,
        outcome,
        summary,
      });
    if (!isPerson(credentials)) {
      await deny('a person must sign in; service principals may only read', {});
      throw new NotAllowedError(
        `Only a signed-in person may ${doing} on ${scopeRef}; service principals may only read`,
      );
    }
    const decisions = await this.o.permissions.authorize(
      services.map(resourceRef => ({
        permission: runbookActionExecutePermission,
        resourceRef,
      })),
      { credentials },
    );
    const denied = services.filter(
      (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
    );
    if (denied.length) {
      await deny(
        `${runbookActionExecutePermission.name} denied on ${denied.length} of ${services.length} services`,
        { denied },
      );
      throw new NotAllowedError(
        `You may not ${doing} on ${scopeRef}: ${
          runbookActionExecutePermission.name
        } is denied on ${denied.join(', ')}`,
      );
    }
  }
}
