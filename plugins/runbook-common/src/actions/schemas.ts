import { z } from 'zod';

/**
 * Container image reference with an explicit tag or digest: an optional registry host,
 * a lower-case repository path, then `:tag` and/or `@sha256:digest`. Anything else
 * (spaces, shell metacharacters, upper case paths, an implicit `latest`) is refused.
 */
export const IMAGE_PATTERN =
  /^(?<repository>(?:[a-z0-9][a-z0-9.-]*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

/** Highest replica count any runbook may ask for, whatever its annotation says. */
export const MAX_REPLICAS = 1000;

const imageSchema = z
  .string()
  .max(255, 'image must be at most 255 characters')
  .regex(
    IMAGE_PATTERN,
    'image must be a container image reference like "nexus-cos/<service>:<tag>" (no spaces or shell characters)',
  )
  .refine(image => /[:@]/.test(image.replace(/^[^/]*:[0-9]+\//, '')), {
    message: 'image must name a tag or digest, for example ":1.2.3"',
  });

const replicasSchema = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(MAX_REPLICAS, `must be at most ${MAX_REPLICAS}`);

const secondsSchema = (max: number) =>
  z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must be at least 0')
    .max(max, `must be at most ${max}`);

/** CPU quantity as Kubernetes writes it: cores ("2", "0.5") or millicores ("500m"). */
export const CPU_QUANTITY_PATTERN = /^(?:\d+(?:\.\d+)?|\d+m)$/;
/** Memory quantity in bytes with an optional binary or decimal suffix ("512Mi", "4Gi"). */
export const MEMORY_QUANTITY_PATTERN =
  /^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const resourceListSchema = z
  .strictObject({
    cpu: z
      .string()
      .regex(CPU_QUANTITY_PATTERN, 'must be a CPU quantity like "500m" or "2"')
      .optional(),
    memory: z
      .string()
      .regex(
        MEMORY_QUANTITY_PATTERN,
        'must be a memory quantity like "512Mi" or "4Gi"',
      )
      .optional(),
  })
  .refine(r => r.cpu !== undefined || r.memory !== undefined, {
    message: 'must set cpu or memory',
  });

const empty = z.strictObject({});

/**
 * The items of the runbook's "Pre-Deployment Checklist", in its order. The `checklist`
 * action verifies what it can and takes the person's confirmation for the rest.
 * @public
 */
export const PRE_DEPLOYMENT_CHECKLIST = [
  'review-change-request',
  'verify-staging-deployment',
  'check-resource-availability',
  'notify-stakeholders',
  'prepare-rollback-plan',
  'schedule-maintenance-window',
] as const;

/** @public */
export type PreDeploymentChecklistItem =
  (typeof PRE_DEPLOYMENT_CHECKLIST)[number];

/** Input schema of every runbook action, keyed by action name. @public */
export const runbookActionInputSchemas = {
  /** `kubectl scale --replicas=N` on the live Deployment. */
  scale: z.strictObject({ replicas: replicasSchema }),
  /** Scale to 0, remembering the count for `start`. */
  stop: empty,
  /** Restore the count remembered by `stop`. */
  start: empty,
  /** `kubectl rollout restart`. */
  restart: empty,
  /** Rolling update: set the image, wait for the rollout, watch, roll back on failure. */
  'set-image': z.strictObject({
    image: imageSchema,
    healthWindowSeconds: secondsSchema(3600).optional(),
  }),
  /** Restore the pod template of an earlier rollout revision. */
  rollback: z.strictObject({
    revision: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1'),
  }),
  /** Vertical scaling of the service's container. */
  'set-resources': z
    .strictObject({
      requests: resourceListSchema.optional(),
      limits: resourceListSchema.optional(),
    })
    .refine(r => r.requests !== undefined || r.limits !== undefined, {
      message: 'must set requests or limits',
    }),
  /** Create or update (`enabled: true`) or delete (`enabled: false`) the HPA. */
  'configure-autoscaling': z.discriminatedUnion('enabled', [
    z.strictObject({
      enabled: z.literal(true),
      minReplicas: replicasSchema.min(1, 'must be at least 1'),
      maxReplicas: replicasSchema.min(1, 'must be at least 1'),
      targetCPUUtilizationPercentage: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(100, 'must be at most 100'),
    }),
    z.strictObject({ enabled: z.literal(false) }),
  ]),
  /** Create or update the idle colour's Deployment with a new image. */
  'blue-green-deploy': z.strictObject({ image: imageSchema }),
  /** Point the Service at the idle colour, watch it, switch back on failure. */
  'blue-green-switch': z.strictObject({
    monitorSeconds: secondsSchema(3600).optional(),
  }),
  /** Delete the idle colour's Deployment once a switch has held. */
  'blue-green-decommission': empty,
  /** Delete one of the service's pods; its Deployment replaces it. */
  'delete-pod': z.strictObject({
    pod: z
      .string()
      .max(253, 'must be at most 253 characters')
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
        'must be a pod name (lower-case letters, digits, "-" and ".")',
      ),
  }),
  /** The pre-deployment checklist as a gate; changes nothing. */
  checklist: z.strictObject({
    /** The items the person running it confirms. */
    confirmations: z
      .array(z.enum(PRE_DEPLOYMENT_CHECKLIST))
      .max(
        PRE_DEPLOYMENT_CHECKLIST.length,
        `must list at most ${PRE_DEPLOYMENT_CHECKLIST.length} items`,
      ),
    /** The image about to be deployed; staging must already run it. */
    image: imageSchema.optional(),
    /** Reference of the reviewed change request, e.g. "CHG-1042". */
    changeRequest: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .optional(),
    /** How to roll back, in the person's words; kept as evidence. */
    rollbackPlan: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .optional(),
  }),
  /** Backup, restore into a scratch database, verify, drop; on a DR-target Resource. */
  'dr-drill': z.strictObject({
    /** Name of the scratch database; default `<database>_drill_<time>`. */
    scratchDatabase: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        'must be a database name of lower-case letters, digits and "_", at most 63 characters',
      )
      .optional(),
  }),
} as const;

/** Names of the runbook actions, in the runbook's order. @public */
export const RUNBOOK_ACTIONS = Object.keys(runbookActionInputSchemas) as Array<
  keyof typeof runbookActionInputSchemas
>;

/** @public */
export type RunbookActionName = keyof typeof runbookActionInputSchemas;

/** The input of one action, as its schema infers it. @public */
export type RunbookActionInput<
  A extends RunbookActionName = RunbookActionName,
> = z.infer<(typeof runbookActionInputSchemas)[A]>;

/**
 * The body of `POST /entities/E/runs`. `input` is checked against the action's schema
 * separately, so that an unknown action and a bad input get distinct messages.
 * @public
 */
export const runRequestEnvelopeSchema = z.strictObject({
  action: z.enum(
    RUNBOOK_ACTIONS as [RunbookActionName, ...RunbookActionName[]],
    {
      error: `action must be one of: ${Object.keys(
        runbookActionInputSchemas,
      ).join(', ')}`,
    },
  ),
  input: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  /** Type-to-confirm: production services require the entity's name here. */
  confirm: z.string().max(253).optional(),
  /** Why the change is made; kept with the run and in the audit trail. */
  reason: z.string().max(500, 'must be at most 500 characters').optional(),
});

/** A run request with its input typed by its action. @public */
export type RunRequest<A extends RunbookActionName = RunbookActionName> = {
  [K in A]: Omit<
    z.infer<typeof runRequestEnvelopeSchema>,
    'action' | 'input'
  > & {
    action: K;
    input: RunbookActionInput<K>;
  };
}[A];

/** One problem with a request, naming the field. @public */
export type RequestIssue = { field: string; message: string };

function issuesOf(error: z.ZodError, prefix: string): RequestIssue[] {
  return error.issues.map(issue => ({
    field:
      [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

/**
 * Parses a run request body: the envelope, then the action's input.
 * @public
 */
export function parseRunRequest(
  body: unknown,
):
  | { success: true; request: RunRequest }
  | { success: false; issues: RequestIssue[] } {
  const envelope = runRequestEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    return { success: false, issues: issuesOf(envelope.error, '') };
  }
  const schema = runbookActionInputSchemas[envelope.data.action];
  const input = schema.safeParse(envelope.data.input ?? {});
  if (!input.success) {
    return { success: false, issues: issuesOf(input.error, 'input') };
  }
  return {
    success: true,
    request: { ...envelope.data, input: input.data } as RunRequest,
  };
}
