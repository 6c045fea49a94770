import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/** `runbook:dr-drill`: the runbook's monthly "Disaster Recovery Testing". */
export function createDrDrillAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:dr-drill',
    description:
      "Runs a disaster-recovery drill on a database Resource with the nexus-cos.io/dr-target annotation: backs it up, restores the backup into a scratch database and compares the two. The step's summary output is the drill's report",
    examples: [
      {
        description: 'Monthly drill of nexus_db',
        example: `steps:
  - id: drill
    name: DR drill
    action: runbook:dr-drill
    input:
      entityRef: resource:default/nexus-db
      reason: Monthly DR drill
`,
      },
    ],
    schema: {
      input: operationInput('DR target Resource'),
      output: operationOutput,
    },
    handler: ctx =>
      runOperation(ctx, options, {
        entityRef: ctx.input.entityRef,
        request: {
          action: 'dr-drill',
          input: {},
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
