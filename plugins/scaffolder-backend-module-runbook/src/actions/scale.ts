import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { MAX_REPLICAS } from '@nexus-cos/plugin-runbook-common';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/** `runbook:scale`: the runbook's "Horizontal Scaling" (`kubectl scale`). */
export function createScaleAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:scale',
    description:
      "Scales a service's live Deployment to a number of replicas, within its runbook limits",
    examples: [
      {
        description: 'Scale media-upload up to 5 replicas',
        example: `steps:
  - id: scale
    name: Scale up
    action: runbook:scale
    input:
      entityRef: component:default/media-upload
      replicas: 5
      reason: Launch-day traffic
`,
      },
    ],
    schema: {
      input: {
        ...operationInput('service'),
        replicas: z =>
          z
            .number()
            .int()
            .min(0)
            .max(MAX_REPLICAS)
            .describe(
              "Replica count, within the service's nexus-cos.io/replicas range",
            ),
      },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'scale',
          input: { replicas: ctx.input.replicas },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
