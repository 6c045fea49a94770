import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AuditSeverity,
  runbookActionExecutePermission,
  runbookActionReadPermission,
} from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf, isPerson } from '../http/credentials';

/** A permission checked against one catalog entity. */
type EntityPermission = ResourcePermission<'catalog-entity'>;

/** What a refused request was about, for its audit row. */
type Subject = {
  entityRef: string;
  action: string;
  runId?: string;
  params?: Record<string, unknown>;
  /** Raised by the action's guard for this input. */
  severity?: AuditSeverity;
};

/**
 * Who may read and who may change runs. Backstage's permission client lets an
 * unrestricted service token through every check, so changes also need a person here.
 * Every refusal of a change is audited.
 */
export class RunPermissions {
  constructor(
    private readonly o: { permissions: PermissionsService; audit: AuditTrail },
  ) {}

  async requireRead(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookActionReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${runbookActionReadPermission.name})`,
      );
    }
  }

  /**
   * Whether the policy lets the caller change the entity (or do what `permission`
   * allows on it); does not audit.
   */
  async mayExecute(
    entityRef: string,
    credentials: BackstageCredentials,
    permission: EntityPermission = runbookActionExecutePermission,
  ): Promise<boolean> {
    const [decision] = await this.o.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * A person whom the policy lets change the entity, or an audited 403: for running
   * `subject.action`, or for cancelling one of its runs. An action that names its own
   * permission passes it.
   */
  async requireChange(
    subject: Subject,
    credentials: BackstageCredentials,
    purpose: 'run' | 'cancel',
    permission: EntityPermission = runbookActionExecutePermission,
  ): Promise<void> {
    const prefix = purpose === 'cancel' ? 'cancel: ' : '';
    const doing =
      purpose === 'cancel' ? 'cancel runs' : `run ${subject.action}`;
    if (!isPerson(credentials)) {
      await this.#deny(
        subject,
        credentials,
        `${prefix}a person must sign in; service principals may only read`,
      );
      throw new NotAllowedError(
        `Only a signed-in person may ${doing} on ${subject.entityRef}; service principals may only read`,
      );
    }
    if (!(await this.mayExecute(subject.entityRef, credentials, permission))) {
      await this.#deny(
        subject,
        credentials,
        `${prefix}${permission.name} denied`,
      );
      throw new NotAllowedError(
        purpose === 'cancel'
          ? `You may not cancel runs on ${subject.entityRef}`
          : `You may not run ${subject.action} on ${subject.entityRef} (${permission.name})`,
      );
    }
  }

  /**
   * The extra permission an input's guard names (an in-place restore's
   * `runbook.restore.inplace`), on the entity; refusals are audited.
   */
  async requireGuarded(
    permission: ResourcePermission<'catalog-entity'>,
    why: string,
    subject: Subject,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.o.permissions.authorize(
      [{ permission, resourceRef: subject.entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      await this.#deny(subject, credentials, `${permission.name} denied`);
      throw new NotAllowedError(
        `You may not do this on ${subject.entityRef} (${permission.name}): ${why}`,
      );
    }
  }

  async #deny(
    subject: Subject,
    credentials: BackstageCredentials,
    outcome: string,
  ) {
    await this.o.audit.record({
      event: 'denied',
      actor: actorOf(credentials),
      entityRef: subject.entityRef,
      action: subject.action,
      runId: subject.runId,
      outcome,
      params: subject.params,
      severity: subject.severity,
    });
  }
}
