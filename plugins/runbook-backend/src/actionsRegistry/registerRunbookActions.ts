import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  INCIDENT_STATUSES,
  MAX_REASON_LENGTH,
  OPEN_INCIDENT_STATUSES,
  RUNBOOK_ACTIONS,
  actionDefinition,
} from '@nexus-cos/plugin-runbook-common';
import { actionParametersSchema } from '@nexus-cos/plugin-runbook-node';
import type { z as zodV3 } from 'zod/v3';
import type { HealthService } from '../health/HealthService';
import type { IncidentQueries } from '../incidents/IncidentQueries';
import type { OnCallService } from '../oncall/OnCallService';
import type { RunAdmission } from '../runs/RunAdmission';
import type { RunbookView } from '../runs/RunbookView';
import type { RunService } from '../runs/RunService';
import type { SecurityService } from '../security/SecurityService';

type Z = typeof zodV3;

const entityRefInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe('The catalog entity, e.g. component:default/media-upload');

function entityRefOf(value: string) {
  try {
    return parseEntityRef(value);
  } catch {
    throw new InputError(
      `entityRef must be an entity ref like "component:default/media-upload", got "${value}"`,
    );
  }
}

/** Any JSON object: the answers are the HTTP API's, described in its docs. */
const anyObject = (z: Z) => z.object({}).passthrough();

/**
 * Registers every runbook action, and the reads an agent needs to decide on one, in
 * Backstage's actions registry, from which the mcp-actions backend serves them to MCP
 * clients. They call the same services as the HTTP API, as the caller: permissions,
 * the person rule, lock, idempotency, dry-run and audit all apply. `confirm` is passed
 * through, never filled in; an action with a required secret input is not offered.
 */
export function registerRunbookActions(o: {
  actionsRegistry: ActionsRegistryService;
  admission: RunAdmission;
  view: RunbookView;
  runs: RunService;
  health: HealthService;
  oncall: OnCallService;
  incidents: IncidentQueries;
  security: SecurityService;
}) {
  const { actionsRegistry: registry } = o;
  for (const action of RUNBOOK_ACTIONS) {
    const definition = actionDefinition(action);
    if (definition.fields.some(f => f.secret && f.required)) continue;
    registry.register({
      name: action,
      title: definition.title,
      description: `${
        definition.description
      } Runs the runbook action "${action}" on a ${definition.kinds.join(
        ' or ',
      )}; with dryRun it only answers the diff. Production entities need confirm set to the entity's name, typed by the person who asked for the change. A change an agent starts may wait for a person's approval (status awaiting-approval): tell the user, and follow the run with get-run.`,
      attributes: {
        readOnly: !definition.changesState,
        destructive: definition.changesState,
        idempotent: false,
      },
      schema: {
        input: z =>
          actionParametersSchema(action, {
            entityRef: entityRefInput(z),
            dryRun: z
              .boolean()
              .optional()
              .describe('Only compute the diff; change nothing'),
            confirm: z
              .string()
              .optional()
              .describe(
                "For production entities: the entity's name, as the person typed it",
              ),
            reason: z
              .string()
              .max(MAX_REASON_LENGTH)
              .optional()
              .describe('Why, for the audit trail'),
            idempotencyKey: z
              .string()
              .regex(/^[\x21-\x7e]{1,255}$/)
              .optional()
              .describe('Repeat it to retry without starting a second run'),
            emergencyIncident: z
              .string()
              .optional()
              .describe(
                'During a change freeze only: the id of the open P0 or P1 incident this change answers',
              ),
          }),
        output: anyObject,
      },
      action: async ({ input, credentials }) => {
        const {
          entityRef,
          dryRun,
          confirm,
          reason,
          idempotencyKey,
          emergencyIncident,
          ...rest
        } = input as Record<string, any>;
        const outcome = await o.admission.requestRun({
          ref: entityRefOf(entityRef),
          body: {
            action,
            input: rest,
            dryRun,
            confirm,
            reason,
            emergencyIncident,
          },
          credentials,
          idempotencyKey,
          // An MCP call: approval rules for agents apply, whoever's token it carries.
          initiator: 'agent',
        });
        return {
          output:
            outcome.kind === 'dry-run'
              ? outcome.result
              : { ...outcome.run, replayed: outcome.replayed },
        };
      },
    });
  }

  registry.register({
    name: 'get-runbook',
    title: 'Runbook of an entity',
    description:
      'The runbook actions an entity offers, whether the caller may run each now and why not, its limits, production flag and live colour.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: await o.view.getRunbook(
        entityRefOf(input.entityRef),
        credentials,
      ),
    }),
  });

  registry.register({
    name: 'get-run',
    title: 'One runbook run',
    description:
      'A run with its status (pending, running, succeeded, failed, rolled-back, cancelled), error, before/after and result, plus its log.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ runId: z.string().min(1).max(64) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: {
        ...(await o.runs.getRun(input.runId, credentials)),
        log: await o.runs.getLog(input.runId, 0, credentials),
      },
    }),
  });

  registry.register({
    name: 'get-health',
    title: 'Health of a service',
    description:
      "A service's status (healthy, degraded, down, unknown) with reasons and their runbook checklists, its workload and golden signals.",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: await o.health.forEntity(
        entityRefOf(input.entityRef),
        credentials,
      ),
    }),
  });

  registry.register({
    name: 'get-oncall',
    title: 'On-call of an entity',
    description:
      "Who is on call for an entity's owner now and next, with contacts, and the escalation chain.",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: await o.oncall.forEntity(
        entityRefOf(input.entityRef),
        new Date(),
        credentials,
      ),
    }),
  });

  registry.register({
    name: 'list-incidents',
    title: 'Incidents',
    description:
      'Incidents, newest first; open ones only unless a status is given, optionally of one entity.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z).optional(),
          status: z
            .enum(['open', ...INCIDENT_STATUSES] as [string, ...string[]])
            .optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
      output: z => z.object({ items: z.array(z.object({}).passthrough()) }),
    },
    action: async ({ input, credentials }) => {
      const status = input.status ?? 'open';
      const items = await o.incidents.list(
        {
          entityRefs: input.entityRef
            ? [input.entityRef.toLocaleLowerCase('en-US')]
            : undefined,
          statuses:
            status === 'open'
              ? [...OPEN_INCIDENT_STATUSES]
              : [status as (typeof INCIDENT_STATUSES)[number]],
        },
        input.limit ?? 20,
        credentials,
      );
      return { output: { items } };
    },
  });

  registry.register({
    name: 'get-security',
    title: 'Security state of a service',
    description:
      "A service's certificates (days left, status, TLS check), who can do what in its namespace with risky grants and the last review, vulnerability counts per image, and configuration findings. Needs runbook.security.read.",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => {
      const ref = entityRefOf(input.entityRef);
      return {
        output: {
          certificates: await o.security.certificates(ref, credentials),
          access: await o.security.access(ref, credentials),
          vulnerabilities: await o.security.vulnerabilities(ref, credentials),
          findings: await o.security.findings(ref, credentials),
        },
      };
    },
  });
}
