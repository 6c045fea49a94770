import { z } from 'zod';
import type { ObjectDiff } from '../types';

/** Longest comment an approver may give. @public */
export const MAX_APPROVAL_COMMENT_LENGTH = 2000;

/** What starts a run, as approval rules tell them apart. @public */
export type RunInitiator = 'person' | 'scaffolder' | 'agent';

/** The header by which the scaffolder module says a run comes from a template. @public */
export const RUN_INITIATOR_HEADER = 'X-Runbook-Initiator';

/** One person's decision on a run awaiting approval. @public */
export type ApprovalDecision = { actor: string; at: string; comment: string };

/** Who may decide on a run: groups and on-call rotations, as readable refs. @public */
export type ApproverSet = {
  /** Group refs whose members may approve, e.g. `group:default/platform-lead`. */
  groups: string[];
  /** Groups whose current on-call may approve. */
  onCallOf: string[];
};

/**
 * A run's approval: why it is needed, how many, who may decide, the diff shown to them,
 * and the decisions. The requester never counts as an approver.
 * @public
 */
export type RunApproval = {
  /** The rule that asked for it, or `emergency` for a change during a freeze. */
  rule: string;
  required: number;
  approvers: ApproverSet;
  expiresAt: string;
  /** The dry-run diff as the approvers see it; recomputed when an approval arrives. */
  diff: ObjectDiff[];
  diffAt: string;
  approvals: ApprovalDecision[];
  rejection?: ApprovalDecision;
  initiator: RunInitiator;
  /** An emergency change during a freeze names the incident it answers. */
  emergency?: { incidentId: string; freeze: string };
};

/** The body of `POST /runs/:id/approve` and `/reject`. @public */
export const approvalDecisionRequestSchema = z.strictObject({
  comment: z
    .string({ error: 'comment must be a string saying why' })
    .trim()
    .min(1, 'comment must say why')
    .max(
      MAX_APPROVAL_COMMENT_LENGTH,
      `comment must be at most ${MAX_APPROVAL_COMMENT_LENGTH} characters`,
    ),
});

/** @public */
export type ApprovalDecisionRequest = z.infer<
  typeof approvalDecisionRequestSchema
>;

/** A change freeze in force for an entity now. @public */
export type ActiveFreeze = { name: string; reason?: string; until: string };
