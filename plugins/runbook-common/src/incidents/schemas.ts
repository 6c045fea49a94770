import { z } from 'zod';
import type { RequestIssue } from '../actions';

/** The runbook's severity levels, most severe first. @public */
export const INCIDENT_SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
/** @public */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/**
 * Phases of the runbook's "Incident Procedure". Acknowledging an incident moves it from
 * `detected` to `assessing`.
 * @public
 */
export const INCIDENT_STATUSES = [
  'detected',
  'assessing',
  'responding',
  'resolved',
  'post-mortem',
] as const;
/** @public */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Phases in which an incident is still open. @public */
export const OPEN_INCIDENT_STATUSES: readonly IncidentStatus[] = [
  'detected',
  'assessing',
  'responding',
];

/** Most entities one incident may affect. */
export const MAX_AFFECTED_ENTITIES = 50;

const severitySchema = z.enum(INCIDENT_SEVERITIES, {
  error: `must be one of ${INCIDENT_SEVERITIES.join(', ')}`,
});

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

/** A full entity ref such as `component:default/media-upload`. */
const entityRefSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(
    /^[a-z0-9-]+:[a-z0-9._-]+\/[a-z0-9._-]+$/i,
    'must be a full entity ref like "component:default/media-upload"',
  );

const userRefSchema = entityRefSchema.refine(ref => /^user:/i.test(ref), {
  message: 'must be a User ref like "user:default/alice"',
});

/** The body of `POST /incidents`. @public */
export const declareIncidentSchema = z.strictObject({
  title: text(200),
  severity: severitySchema,
  entityRefs: z
    .array(entityRefSchema)
    .min(1, 'must name at least one affected entity')
    .max(
      MAX_AFFECTED_ENTITIES,
      `must name at most ${MAX_AFFECTED_ENTITIES} entities`,
    ),
  description: text(4000).optional(),
  commander: userRefSchema.optional(),
});
/** @public */
export type DeclareIncidentRequest = z.infer<typeof declareIncidentSchema>;

/** The body of `PATCH /incidents/:id`: a phase, severity or commander change. @public */
export const updateIncidentSchema = z
  .strictObject({
    status: z
      .enum(INCIDENT_STATUSES, {
        error: `must be one of ${INCIDENT_STATUSES.join(', ')}`,
      })
      .optional(),
    severity: severitySchema.optional(),
    commander: userRefSchema.optional(),
    /** Why; kept on the timeline. */
    note: text(4000).optional(),
  })
  .refine(
    u =>
      u.status !== undefined ||
      u.severity !== undefined ||
      u.commander !== undefined,
    { message: 'must change status, severity or commander' },
  );
/** @public */
export type UpdateIncidentRequest = z.infer<typeof updateIncidentSchema>;

/** The body of `POST /incidents/:id/timeline`. @public */
export const timelineEntrySchema = z.strictObject({ message: text(4000) });
/** @public */
export type TimelineEntryRequest = z.infer<typeof timelineEntrySchema>;

const isoInstant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 instant like "2026-11-27T10:00:00Z"',
});

/** The body of `PUT /incidents/:id/postmortem`. @public */
export const postMortemSchema = z.strictObject({
  timeline: z
    .array(z.strictObject({ at: isoInstant, message: text(2000) }))
    .max(200, 'must have at most 200 entries'),
  rootCause: text(10000),
  actionItems: z
    .array(
      z.strictObject({
        description: text(1000),
        owner: entityRefSchema,
        done: z.boolean(),
      }),
    )
    .max(100, 'must have at most 100 items'),
});
/** @public */
export type PostMortem = z.infer<typeof postMortemSchema>;

/**
 * Alertmanager's webhook payload (version 4). Unknown fields are allowed: Alertmanager adds
 * some between releases.
 * @public
 */
export const alertmanagerPayloadSchema = z.object({
  version: z.string().max(16).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(255).optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved'], {
          error: 'must be firing or resolved',
        }),
        labels: z.record(z.string().max(255), z.string().max(1024)),
        annotations: z
          .record(z.string().max(255), z.string().max(4000))
          .optional(),
        startsAt: isoInstant,
        endsAt: z.string().max(64).optional(),
        fingerprint: z
          .string()
          .regex(/^[A-Za-z0-9]{1,64}$/, 'must be 1 to 64 letters or digits'),
        generatorURL: z.string().max(2048).optional(),
      }),
    )
    .min(1, 'must hold at least one alert')
    .max(500, 'must hold at most 500 alerts'),
});
/** @public */
export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;

/**
 * Parses a request body with `schema`; each issue names its field (dotted path) so that
 * the error message can say what to fix.
 * @public
 */
export function parseRequestBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { success: true; data: T } | { success: false; issues: RequestIssue[] } {
  const result = schema.safeParse(body);
  if (result.success) return { success: true, data: result.data };
  return {
    success: false,
    issues: result.error.issues.map(issue => ({
      field: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    })),
  };
}
