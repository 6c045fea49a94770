import { z } from 'zod';
import { defineAction } from '../definition';
import { checkImage } from '../limits';
import { imageSchema } from '../parts';
import { imageHint } from './hints';

/**
 * The items of the runbook's "Pre-Deployment Checklist", in its order. The `checklist`
 * action verifies what it can and takes the person's confirmation for the rest.
 * @public
 */
export const PRE_DEPLOYMENT_CHECKLIST = [
  'review-change-request',
  'verify-staging-deployment',
  'check-resource-availability',
  'notify-stakeholders',
  'prepare-rollback-plan',
  'schedule-maintenance-window',
] as const;

/** @public */
export type PreDeploymentChecklistItem =
  (typeof PRE_DEPLOYMENT_CHECKLIST)[number];

/** The pre-deployment checklist as a gate; it changes no cluster object. */
export const checklistAction = defineAction({
  name: 'checklist',
  title: 'Pre-deployment checklist',
  description:
    'Record the checklist before a deployment; the engine verifies what it can.',
  input: z.strictObject({
    /** The items the person running it confirms. */
    confirmations: z
      .array(z.enum(PRE_DEPLOYMENT_CHECKLIST))
      .max(
        PRE_DEPLOYMENT_CHECKLIST.length,
        `must list at most ${PRE_DEPLOYMENT_CHECKLIST.length} items`,
      ),
    /** The image about to be deployed; staging must already run it. */
    image: imageSchema.optional(),
    /** Reference of the reviewed change request, e.g. "CHG-1042". */
    changeRequest: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .optional(),
    /** How to roll back, in the person's words; kept as evidence. */
    rollbackPlan: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .optional(),
  }),
  checkLimits: (input, limits) =>
    input.image ? checkImage(input.image, limits) : [],
  fields: [
    {
      name: 'confirmations',
      label: 'I confirm',
      type: 'checklist',
      options: PRE_DEPLOYMENT_CHECKLIST,
    },
    {
      name: 'image',
      label: 'Image to deploy',
      type: 'text',
      hint: limits => `${imageHint(limits)}; staging must already run it`,
    },
    { name: 'changeRequest', label: 'Change request', type: 'text' },
    { name: 'rollbackPlan', label: 'Rollback plan', type: 'text' },
  ],
  kinds: ['Component'],
  // A signed record of a person's confirmations: it is locked and audited like a change.
  changesState: true,
  auditSeverity: 'medium',
});
