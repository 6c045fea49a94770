import type { ApproverSet, RunApproval } from './types';

/** Who may approve, in words: for messages, the task log and the approvals page. @public */
export function describeApprovers(approvers: ApproverSet): string {
  const parts = [
    ...approvers.groups.map(g => `members of ${g}`),
    ...approvers.onCallOf.map(g => `the on-call of ${g}`),
  ];
  return parts.join(' or ') || 'nobody';
}

/** "awaiting approval by …": what a waiting run still needs, and until when. @public */
export function describeAwaiting(approval: RunApproval): string {
  const missing = approval.required - approval.approvals.length;
  const more = missing > 1 ? `${missing} more needed; ` : '';
  return `awaiting approval by ${describeApprovers(
    approval.approvers,
  )} (${more}rule "${approval.rule}"), until ${approval.expiresAt}`;
}
