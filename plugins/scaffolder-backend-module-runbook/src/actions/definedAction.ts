import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  actionDefinition,
  parseRunRequest,
  RunbookActionName,
  RunRequest,
} from '@nexus-cos/plugin-runbook-common';
import { actionParametersSchema } from '@nexus-cos/plugin-runbook-node';
import { runOperation, RunbookActionOptions } from './runOperation';
import { operationInput, operationOutput } from './schemaParts';

/**
 * Inputs for the examples of the actions that take one, as the scaffolder's action
 * reference shows them. Documentation only: the definition holds the rules, and an
 * example the engine would refuse is left out.
 */
const SAMPLE_INPUTS: Partial<Record<RunbookActionName, object>> = {
  scale: { replicas: 5 },
  rollback: { revision: 3 },
  'set-resources': {
    requests: { cpu: '500m', memory: '512Mi' },
    limits: { cpu: '1', memory: '1Gi' },
  },
  'configure-autoscaling': {
    enabled: true,
    minReplicas: 2,
    maxReplicas: 6,
    targetCPUUtilizationPercentage: 70,
  },
  'delete-pod': { pod: 'media-upload-7c9d8f6b5-x2x5q' },
  'verify-backup': { backupId: 'latest', full: true },
  restore: { backupId: 'nexus-db-20261203-020000-ab12', mode: 'scratch' },
  'config-restore': { backupId: 'media-upload-config-20261203-020000-ab12' },
  'renew-certificate': { certificate: 'media-upload' },
  // Without `value` a new one is generated; a value would be a secret in the template.
  'rotate-secret': { secret: 'media-upload-secrets', key: 'API_KEY' },
  'rotate-db-password': { secret: 'nexus-db-app' },
  'review-access': {
    note: 'Quarterly review: no wildcard grants, CI account still needed',
  },
};

/** YAML of plain values: strings quoted, so that "1" stays a string. */
function yamlLines(value: object, indent: string): string[] {
  return Object.entries(value).flatMap(([key, v]) =>
    v !== null && typeof v === 'object'
      ? [`${indent}${key}:`, ...yamlLines(v, `${indent}  `)]
      : [`${indent}${key}: ${JSON.stringify(v)}`],
  );
}

function examplesOf(action: RunbookActionName, entityRef: string) {
  const input = SAMPLE_INPUTS[action] ?? {};
  if (!parseRunRequest({ action, input }).success) return [];
  const { title } = actionDefinition(action);
  const entity = entityRef.split('/').pop();
  return [
    {
      description: `${title} ${entity}`,
      example: [
        'steps:',
        `  - id: ${action}`,
        `    name: ${title}`,
        `    action: runbook:${action}`,
        '    input:',
        ...yamlLines({ entityRef, ...input }, '      '),
        '',
      ].join('\n'),
    },
  ];
}

/**
 * `runbook:<action>`, derived from the action's definition in -common: its description,
 * its input fields plus `entityRef`, `confirm` and `reason`, and one run of the engine.
 */
export function createDefinedAction(
  action: RunbookActionName,
  options: RunbookActionOptions,
) {
  const definition = actionDefinition(action);
  const service = definition.kinds.includes('Component');
  const common = operationInput(service ? 'service' : 'DR target Resource');
  return createTemplateAction({
    id: `runbook:${action}`,
    description: definition.description,
    examples: examplesOf(
      action,
      service ? 'component:default/media-upload' : 'resource:default/nexus-db',
    ),
    schema: {
      input: z =>
        actionParametersSchema(action, {
          entityRef: common.entityRef(z),
          confirm: common.confirm(z),
          reason: common.reason(z),
        }),
      // An input given as one schema needs its output given as one too.
      output: z =>
        z.object(
          Object.fromEntries(
            Object.entries(operationOutput).map(([key, part]) => [
              key,
              part(z),
            ]),
          ),
        ),
    },
    handler: ctx => {
      const { entityRef, confirm, reason, ...input } = ctx.input;
      return runOperation(ctx, options, {
        entityRef,
        // runOperation applies the definition's schema before anything runs.
        request: { action, input, confirm, reason } as RunRequest,
      });
    },
  });
}
