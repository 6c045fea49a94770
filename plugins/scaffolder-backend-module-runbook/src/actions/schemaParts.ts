import type { z as zodV3 } from 'zod/v3';
import { MAX_REASON_LENGTH } from '@nexus-cos/plugin-runbook-common';

/**
 * Schema parts shared by the runbook actions. The scaffolder turns these zod v3 schemas
 * into the JSON schema of the action's form and docs; the exact rules of each action's
 * input are -common's zod 4 schemas, which `runOperation` applies before anything runs.
 */
type Z = typeof zodV3;

/** `entityRef`, `confirm`, `cluster` and `reason`: what every operation takes besides its own input. */
export function operationInput(target: 'service' | 'DR target Resource') {
  return {
    entityRef: (z: Z) =>
      z
        .string()
        .min(1)
        .describe(
          target === 'service'
            ? 'The service to act on, e.g. component:default/media-upload'
            : 'The DR target Resource to act on, e.g. resource:default/nexus-db',
        ),
    confirm: (z: Z) =>
      z
        .string()
        .optional()
        .describe(
          'Type-to-confirm: required for production entities, and must equal the entity name',
        ),
    cluster: (z: Z) =>
      z
        .string()
        .optional()
        .describe(
          'The cluster to act on, by its name in the kubernetes config: required when the entity runs in several',
        ),
    reason: (z: Z) =>
      z
        .string()
        .max(MAX_REASON_LENGTH)
        .optional()
        .describe(
          'Why the change is made; kept with the run and in the audit trail',
        ),
  };
}

/**
 * A container image with a tag or digest. The format rule is -common's: its message says
 * more than a JSON schema pattern would.
 */
export const imageInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe(
      'Container image with a tag or digest, e.g. nexus-cos/media-upload:2.4.1; the service may restrict the repository',
    );

/** The output of every runbook action. */
export const operationOutput = {
  runId: (z: Z) => z.string().describe('The id of the runbook run'),
  status: (z: Z) =>
    z
      .enum(['succeeded'])
      .describe('How the run ended; any other ending fails the step'),
  runUrl: (z: Z) => z.string().describe("The run's page in the portal"),
  auditUrl: (z: Z) =>
    z.string().describe("The run's audit entries in the portal"),
  summary: (z: Z) =>
    z
      .record(z.unknown())
      .optional()
      .describe('The live state after the run, as the engine summarised it'),
};
