import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/** The runbook watches a switch for five minutes (`sleep 300`) before decommissioning. */
const DEFAULT_MONITOR_WINDOW_SECONDS = 300;

/** `runbook:blue-green:switch`: the runbook's "Switch traffic" and "Monitor for issues". */
export function createBlueGreenSwitchAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:blue-green:switch',
    description:
      "Points a service's traffic at the idle colour, watches it for the monitor window and switches back automatically when it is unhealthy",
    examples: [
      {
        description:
          "Switch payment-gateway and watch it for the runbook's 5 minutes",
        example: `steps:
  - id: switch
    name: Switch traffic
    action: runbook:blue-green:switch
    input:
      entityRef: component:default/payment-gateway
      confirm: payment-gateway
`,
      },
      {
        description: 'Switch with a 10-minute watch window',
        example: `steps:
  - id: switch
    name: Switch traffic
    action: runbook:blue-green:switch
    input:
      entityRef: component:default/payment-gateway
      monitorWindowSeconds: 600
      confirm: payment-gateway
`,
      },
    ],
    schema: {
      input: {
        ...operationInput('service'),
        monitorWindowSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(3600)
            .optional()
            .describe(
              `How long to watch the new colour before the switch holds; defaults to ${DEFAULT_MONITOR_WINDOW_SECONDS}`,
            ),
      },
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'blue-green-switch',
          input: {
            monitorSeconds:
              ctx.input.monitorWindowSeconds ?? DEFAULT_MONITOR_WINDOW_SECONDS,
          },
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
