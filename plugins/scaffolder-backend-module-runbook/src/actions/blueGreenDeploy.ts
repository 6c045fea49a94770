import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { imageInput, operationInput, operationOutput } from './schemaParts';

/** `runbook:blue-green:deploy`: the runbook's "Deploy green version". */
export function createBlueGreenDeployAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:blue-green:deploy',
    description:
      "Creates or updates the idle colour's Deployment of a service with a new image and waits until it is ready; the live colour keeps serving",
    examples: [
      {
        description: 'Stand up payment-gateway 3.0.0 next to the live colour',
        example: `steps:
  - id: deploy-green
    name: Deploy the idle colour
    action: runbook:blue-green:deploy
    input:
      entityRef: component:default/payment-gateway
      image: nexus-cos/payment-gateway:3.0.0
      confirm: payment-gateway
`,
      },
    ],
    schema: {
      input: { ...operationInput('service'), image: imageInput },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'blue-green-deploy',
          input: { image: ctx.input.image },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
