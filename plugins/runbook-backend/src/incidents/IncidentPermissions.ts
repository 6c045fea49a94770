import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { runbookIncidentReadPermission } from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf, isPerson } from '../http/credentials';

/**
 * Who may read and work on incidents. Changes need the permission on the affected
 * entities and a signed-in person: service tokens reach incidents only through the
 * Alertmanager webhook. Every refusal of a change is audited.
 */
export class IncidentPermissions {
  constructor(
    private readonly o: { permissions: PermissionsService; audit: AuditTrail },
  ) {}

  async requireRead(credentials: BackstageCredentials) {
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookIncidentReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read incidents (${runbookIncidentReadPermission.name})`,
      );
    }
  }

  /**
   * Declaring needs the permission on every affected entity; changing needs it on one of
   * them (whoever owns a part of the incident may work on it). Only the Alertmanager
   * webhook lets a service principal through (`people: 'or-alerts'`).
   */
  async requireOn(
    permission: ResourcePermission,
    entityRefs: string[],
    need: 'all' | 'any',
    credentials: BackstageCredentials,
    action: string,
    options: { incidentId?: string; people?: 'only' | 'or-alerts' } = {},
  ) {
    const { incidentId, people = 'only' } = options;
    const verb = action.replace('incident.', '');
    const deny = async (entityRef: string, outcome: string) =>
      this.o.audit.record({
        event: 'denied',
        actor: actorOf(credentials),
        entityRef,
        action,
        outcome,
        params: incidentId ? { incidentId } : {},
      });
    if (people === 'only' && !isPerson(credentials)) {
      await deny(
        entityRefs[0],
        'a person must sign in; service principals may only read',
      );
      throw new NotAllowedError(
        `Only a signed-in person may ${verb} incidents; service principals may only read`,
      );
    }
    const decisions = await this.o.permissions.authorize(
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    const allowed = decisions.map(d => d.result === AuthorizeResult.ALLOW);
    if (need === 'all' ? allowed.every(Boolean) : allowed.some(Boolean)) return;
    const denied = entityRefs.filter((_, i) => !allowed[i]);
    await deny(denied[0], `${permission.name} denied`);
    throw new NotAllowedError(
      `You may not ${verb} incidents on ${denied.join(', ')} (${
        permission.name
      })`,
    );
  }
}
