import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/** `runbook:blue-green:decommission`: the runbook's "Decommission blue if successful". */
export function createBlueGreenDecommissionAction(
  options: RunbookActionOptions,
) {
  return createTemplateAction({
    id: 'runbook:blue-green:decommission',
    description:
      "Deletes the idle colour's Deployment of a service once a switch has held",
    examples: [
      {
        description: 'Remove the old colour of payment-gateway',
        example: `steps:
  - id: decommission
    name: Decommission the old colour
    action: runbook:blue-green:decommission
    input:
      entityRef: component:default/payment-gateway
      confirm: payment-gateway
`,
      },
    ],
    schema: {
      input: operationInput('service'),
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'blue-green-decommission',
          input: {},
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
