import { z } from 'zod';
import { runbookAccessReviewPermission } from '../../permissions';
import { defineAction } from '../definition';

/** Longest note a person may give with an access review. @public */
export const MAX_REVIEW_NOTE_LENGTH = 2000;

/**
 * Record that a person reviewed who can do what in the service's namespace. It changes
 * no object and takes no lock, but needs `runbook.access.review` and is audited.
 */
export const reviewAccessAction = defineAction({
  name: 'review-access',
  title: 'Review access',
  description:
    "Record that you reviewed the subjects, roles and findings of the service's namespace, with a note.",
  input: z.strictObject({
    note: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(
        MAX_REVIEW_NOTE_LENGTH,
        `must be at most ${MAX_REVIEW_NOTE_LENGTH} characters`,
      ),
  }),
  fields: [
    {
      name: 'note',
      label: 'Note',
      type: 'text',
      required: true,
      hint: () => 'What you checked and what you decided',
    },
  ],
  kinds: ['Component'],
  changesState: false,
  permission: runbookAccessReviewPermission,
  auditSeverity: 'low',
});
