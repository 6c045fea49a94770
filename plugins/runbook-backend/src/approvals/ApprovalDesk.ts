import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ApprovalDecision,
  RunApproval,
  describeApprovers,
} from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { actorOf, isPerson } from '../http/credentials';
import type { CatalogContacts } from '../oncall/CatalogContacts';
import { mayDecide } from './eligibility';

/** Something that waits for approval: a run or a fleet run, as the desk sees it. */
export type Waiting = {
  id: string;
  /** "run" or "fleet run", for messages. */
  noun: string;
  entityRef: string;
  action: string;
  /** The requester. */
  actor: string;
  reason?: string;
  status: string;
  approval?: RunApproval;
  /** The request's parameters as the audit trail shows them. */
  params: Record<string, unknown>;
  /** Where the requester follows it. */
  link: string;
};

type Outcome = 'approved' | 'rejected' | 'expired' | 'cancelled';

/**
 * What every approval shares, whatever waits: who may decide (four eyes, groups, on-call,
 * not expired), the audited refusals, the audit rows of decisions and the notifications.
 */
export class ApprovalDesk {
  constructor(
    private readonly o: {
      audit: AuditTrail;
      contacts: CatalogContacts;
      notifications: NotificationService;
      now: () => Date;
    },
  ) {}

  now(): Date {
    return this.o.now();
  }

  /** A decision by the caller, now. */
  decision(
    credentials: BackstageCredentials,
    comment: string,
  ): ApprovalDecision {
    return {
      actor: actorOf(credentials),
      at: this.now().toISOString(),
      comment,
    };
  }

  /** Whether the caller could decide on `waiting` (for lists: nothing is audited). */
  async canDecide(
    waiting: Waiting,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const me = actorOf(credentials);
    return (
      isPerson(credentials) &&
      me !== waiting.actor &&
      !waiting.approval!.approvals.some(a => a.actor === me) &&
      mayDecide(this.o.contacts, me, waiting.approval!.approvers, this.now())
    );
  }

  /**
   * Throws unless the caller may decide on `waiting` now: it still waits and has not
   * expired (409), and the caller is a person, not the requester, has not approved it
   * yet, and is one of its approvers (403, audited).
   */
  async assertMayDecide(
    waiting: Waiting,
    credentials: BackstageCredentials,
    verb: 'approve' | 'reject',
  ): Promise<void> {
    const { id, noun, approval } = waiting;
    const Noun = `${noun[0].toLocaleUpperCase('en-US')}${noun.slice(1)}`;
    if (waiting.status !== 'awaiting-approval' || !approval) {
      throw new ConflictError(
        `${Noun} ${id} is not awaiting approval (it is ${waiting.status})`,
      );
    }
    if (Date.parse(approval.expiresAt) <= this.now().getTime()) {
      throw new ConflictError(
        `${Noun} ${id} is no longer awaiting approval (it expired at ${approval.expiresAt})`,
      );
    }
    const me = actorOf(credentials);
    const refuse = async (outcome: string, message: string) => {
      await this.o.audit.record({
        event: 'denied',
        actor: me,
        entityRef: waiting.entityRef,
        action: waiting.action,
        runId: id,
        outcome: `${verb}: ${outcome}`,
      });
      throw new NotAllowedError(message);
    };
    if (!isPerson(credentials)) {
      await refuse(
        'a person must sign in',
        `Only a signed-in person may ${verb} ${noun}s`,
      );
    }
    if (me === waiting.actor) {
      await refuse(
        'the requester may not decide',
        `You requested ${noun} ${id}; another person must ${verb} it (four eyes)`,
      );
    }
    if (approval.approvals.some(a => a.actor === me)) {
      await refuse(
        'already approved by this person',
        `You already approved ${noun} ${id}; it needs ${approval.required} different people`,
      );
    }
    if (
      !(await mayDecide(this.o.contacts, me, approval.approvers, this.now()))
    ) {
      await refuse(
        'not an approver',
        `You may not ${verb} ${noun} ${id}: it needs ${describeApprovers(
          approval.approvers,
        )}`,
      );
    }
  }

  /** Tells the approvers (their groups and the on-call of the rotations) that it waits. */
  async requested(waiting: Waiting): Promise<void> {
    const approval = waiting.approval!;
    const now = this.now();
    const shifts = await Promise.all(
      approval.approvers.onCallOf.map(g =>
        this.o.contacts.onCall(g, now).catch(() => undefined),
      ),
    );
    await this.#notify(
      [
        ...approval.approvers.groups,
        ...shifts.flatMap(s => (s ? [s.userRef] : [])),
      ],
      {
        title: `Approval needed: ${waiting.action} on ${waiting.entityRef}`,
        description: `${waiting.actor} asks for ${waiting.action}${
          waiting.reason ? `: ${waiting.reason}` : ''
        }. ${approval.required} approval(s) from ${describeApprovers(
          approval.approvers,
        )} before ${approval.expiresAt}.`,
        link: '/runbook/approvals',
        scope: `runbook-approval:${waiting.id}:requested`,
      },
    );
  }

  /** Audits an approval that does not yet complete the count, or one that does. */
  async approved(
    waiting: Waiting,
    decision: ApprovalDecision,
    approval: RunApproval,
    complete: boolean,
  ): Promise<void> {
    await this.#record(waiting, 'approved', decision, {
      approvals: approval.approvals.length,
      required: approval.required,
    });
    if (complete) {
      await this.#notify([waiting.actor], {
        title: `Approved: ${waiting.action} on ${waiting.entityRef}`,
        description: `${decision.actor} approved: ${decision.comment}`,
        link: waiting.link,
        scope: `runbook-approval:${waiting.id}:decided`,
      });
    }
  }

  /** Audits how a wait ended without running, and tells the requester. */
  async ended(
    waiting: Waiting,
    outcome: Exclude<Outcome, 'approved'>,
    error: string,
    decision?: ApprovalDecision,
  ): Promise<void> {
    await this.#record(
      waiting,
      outcome,
      decision,
      decision ? { comment: decision.comment } : { reason: error },
    );
    await this.#notify([waiting.actor], {
      title: `${outcome[0].toLocaleUpperCase('en-US')}${outcome.slice(1)}: ${
        waiting.action
      } on ${waiting.entityRef}`,
      description: error,
      link: waiting.link,
      scope: `runbook-approval:${waiting.id}:decided`,
    });
  }

  async #record(
    waiting: Waiting,
    event: Outcome,
    decision: ApprovalDecision | undefined,
    summary: Record<string, unknown>,
  ) {
    await this.o.audit.record({
      event,
      actor: decision?.actor ?? 'runbook:approvals',
      entityRef: waiting.entityRef,
      action: waiting.action,
      runId: waiting.id,
      outcome: decision ? `${event}: ${decision.comment}` : event,
      params: waiting.params,
      summary: { requester: waiting.actor, ...summary },
    });
  }

  async #notify(
    entityRef: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      scope: string;
    },
  ) {
    if (!entityRef.length) return;
    try {
      await this.o.notifications.send({
        recipients: { type: 'entity', entityRef },
        payload: { ...payload, topic: 'runbook-approval', severity: 'high' },
      });
    } catch {
      // Notifications are best effort; the approvals page lists everything that waits.
    }
  }
}
