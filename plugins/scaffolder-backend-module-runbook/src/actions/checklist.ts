import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/**
 * The items of the runbook's "Pre-Deployment Checklist", as the engine's `checklist` action
 * names them. They belong in -common next to the action's input schema.
 */
export const PRE_DEPLOYMENT_CHECKLIST = [
  'review-change-request',
  'verify-staging-deployment',
  'check-resource-availability',
  'notify-stakeholders',
  'prepare-rollback-plan',
  'schedule-maintenance-window',
] as const;

/** `runbook:checklist`: records and checks the pre-deployment checklist as an audited run. */
export function createChecklistAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:checklist',
    description:
      "Runs the runbook's pre-deployment checklist for a service: records who confirmed which item and has the engine check what it can (staging, resources) before a deploy",
    examples: [
      {
        description:
          'Confirm the whole checklist before deploying media-upload',
        example: `steps:
  - id: checklist
    name: Pre-deployment checklist
    action: runbook:checklist
    input:
      entityRef: component:default/media-upload
      confirmations:
        - review-change-request
        - verify-staging-deployment
        - check-resource-availability
        - notify-stakeholders
        - prepare-rollback-plan
        - schedule-maintenance-window
      reason: CHG-1042
`,
      },
    ],
    schema: {
      input: {
        ...operationInput('service'),
        confirmations: z =>
          z
            .array(z.enum(PRE_DEPLOYMENT_CHECKLIST))
            .describe(
              'The checklist items the person running the template confirms',
            ),
      },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'checklist',
          input: { confirmations: ctx.input.confirmations },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
