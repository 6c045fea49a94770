import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { imageInput, operationInput, operationOutput } from './schemaParts';

/** `runbook:deploy`: the runbook's "Rolling Update", guarded by a health window. */
export function createDeployAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:deploy',
    description:
      "Rolling update: sets the image of a service's live Deployment, waits for the rollout, watches its health and rolls back automatically when it fails",
    examples: [
      {
        description: 'Deploy media-upload 2.4.1 and watch it for 2 minutes',
        example: `steps:
  - id: deploy
    name: Rolling update
    action: runbook:deploy
    input:
      entityRef: component:default/media-upload
      image: nexus-cos/media-upload:2.4.1
      healthWindowSeconds: 120
      confirm: media-upload
      reason: CHG-1042 upload retries
`,
      },
    ],
    schema: {
      input: {
        ...operationInput('service'),
        image: imageInput,
        healthWindowSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(3600)
            .optional()
            .describe(
              "How long to watch the service after the rollout before calling it healthy; defaults to the runbook's setting",
            ),
      },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'set-image',
          input: {
            image: ctx.input.image,
            healthWindowSeconds: ctx.input.healthWindowSeconds,
          },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
