import { parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import type { RequestIssue } from '../actions/definition';
import { gracePeriodSchema } from '../actions/definitions/stop';
import {
  MAX_REASON_LENGTH,
  clusterNameSchema,
  issuesOf,
} from '../actions/request';

/** What a fleet run does to every service of a System or the Domain. @public */
export const FLEET_ACTIONS = ['start-all', 'stop-all', 'diagnostics'] as const;

/** @public */
export type FleetAction = (typeof FLEET_ACTIONS)[number];

/**
 * The run action a fleet action runs on each service. A string, not an action name: a
 * backend without one of these actions refuses that fleet action instead of failing to
 * build.
 * @public
 */
export const FLEET_CHILD_ACTION: Record<FleetAction, string> = {
  'start-all': 'start',
  'stop-all': 'stop',
  diagnostics: 'diagnostics',
};

/** Kinds whose services a fleet run covers. @public */
export const FLEET_SCOPE_KINDS = ['system', 'domain'] as const;

const scopeSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .refine(
    scope => {
      try {
        const kind = parseEntityRef(scope).kind.toLocaleLowerCase('en-US');
        return (FLEET_SCOPE_KINDS as readonly string[]).includes(kind);
      } catch {
        return false;
      }
    },
    {
      message:
        'must be the entity ref of a System or the Domain, like "system:default/media"',
    },
  );

/**
 * The body of `POST /fleet/runs`.
 * @public
 */
export const fleetRunRequestSchema = z
  .strictObject({
    action: z.enum(FLEET_ACTIONS, {
      error: `action must be one of: ${FLEET_ACTIONS.join(', ')}`,
    }),
    scope: scopeSchema,
    /** Answer the plan and the skips without running anything. */
    dryRun: z.boolean().optional(),
    /** stop-all only: the grace period each pod gets (`stop`'s input). */
    gracePeriodSeconds: gracePeriodSchema.optional(),
    /**
     * The cluster to act in; services that do not run there are skipped. Required when
     * a service in scope runs in several clusters.
     */
    cluster: clusterNameSchema.optional(),
    /** Production services in scope need the scope entity's name here. */
    confirm: z.string().max(253, 'must be at most 253 characters').optional(),
    reason: z
      .string()
      .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
      .optional(),
  })
  .refine(r => r.gracePeriodSeconds === undefined || r.action === 'stop-all', {
    path: ['gracePeriodSeconds'],
    message: 'applies only to stop-all',
  });

/** @public */
export type FleetRunRequest = z.infer<typeof fleetRunRequestSchema>;

/**
 * Parses a fleet run request body; the issues name the field.
 * @public
 */
export function parseFleetRunRequest(
  body: unknown,
):
  | { success: true; request: FleetRunRequest }
  | { success: false; issues: RequestIssue[] } {
  const parsed = fleetRunRequestSchema.safeParse(body);
  return parsed.success
    ? { success: true, request: parsed.data }
    : { success: false, issues: issuesOf(parsed.error, '') };
}
