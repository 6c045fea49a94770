import { z } from 'zod';
import type { ActionLimits } from './limits';
import type { RequestIssue } from './definition';
import {
  RUNBOOK_ACTIONS,
  RunbookActionInput,
  RunbookActionName,
  actionDefinition,
} from './registry';

/** Longest `reason` a run request may carry. @public */
export const MAX_REASON_LENGTH = 500;

/**
 * The body of `POST /entities/E/runs`. `input` is checked against the action's schema
 * separately, so that an unknown action and a bad input get distinct messages.
 * @public
 */
export const runRequestEnvelopeSchema = z.strictObject({
  action: z.enum(
    RUNBOOK_ACTIONS as [RunbookActionName, ...RunbookActionName[]],
    { error: `action must be one of: ${RUNBOOK_ACTIONS.join(', ')}` },
  ),
  input: z.unknown().optional(),
  dryRun: z.boolean().optional(),
  /** Type-to-confirm: production services require the entity's name here. */
  confirm: z.string().max(253).optional(),
  /** Why the change is made; kept with the run and in the audit trail. */
  reason: z
    .string()
    .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
    .optional(),
  /**
   * During a change freeze: the id of the open P0 or P1 incident of the entity that this
   * emergency change answers. It then needs an approval.
   */
  emergencyIncident: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, 'must be an incident id')
    .optional(),
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

/** A zod error as issues whose field is the path under `prefix`. @public */
export function issuesOf(error: z.ZodError, prefix: string): RequestIssue[] {
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
  const schema = actionDefinition(envelope.data.action).input;
  const input = schema.safeParse(envelope.data.input ?? {});
  if (!input.success) {
    return { success: false, issues: issuesOf(input.error, 'input') };
  }
  return {
    success: true,
    request: { ...envelope.data, input: input.data } as RunRequest,
  };
}

/**
 * Checks a schema-valid request against the runbook's limits. The backend refuses any
 * request with issues (400), and the frontend forms show the same messages as you type.
 * @public
 */
export function checkActionLimits(
  request: RunRequest,
  limits: ActionLimits,
): RequestIssue[] {
  return (
    actionDefinition(request.action).checkLimits?.(request.input, limits) ?? []
  );
}
