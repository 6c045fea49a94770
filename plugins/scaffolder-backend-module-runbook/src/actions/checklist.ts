import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PRE_DEPLOYMENT_CHECKLIST } from '@nexus-cos/plugin-runbook-common';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

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
        image: z =>
          z
            .string()
            .optional()
            .describe(
              'The image about to be deployed; the staging namespace must already run it',
            ),
        changeRequest: z =>
          z
            .string()
            .optional()
            .describe('Reference of the reviewed change request'),
      },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'checklist',
          input: {
            confirmations: ctx.input.confirmations,
            image: ctx.input.image,
            changeRequest: ctx.input.changeRequest,
          },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
