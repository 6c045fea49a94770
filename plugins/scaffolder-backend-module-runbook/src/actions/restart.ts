import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/** `runbook:restart`: the runbook's "Restarting Services" (`kubectl rollout restart`). */
export function createRestartAction(options: RunbookActionOptions) {
  return createTemplateAction({
    id: 'runbook:restart',
    description:
      "Restarts a service's live Deployment pod by pod and waits for the rollout",
    examples: [
      {
        description: 'Restart search-indexer to clear a memory leak',
        example: `steps:
  - id: restart
    name: Rollout restart
    action: runbook:restart
    input:
      entityRef: component:default/search-indexer
      reason: Memory climbing since 02:00, see INC-311
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
          action: 'restart',
          input: {},
          confirm: ctx.input.confirm,
          reason: ctx.input.reason,
        },
      }),
  });
}
