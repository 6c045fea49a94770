import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { z } from 'zod';
import {
  RESOURCE_TYPE_CATALOG_ENTITY,
  runbookActionExecutePermission,
} from '../permissions';
import type { ActionLimits } from './limits';

/** One problem with a request, naming the field. @public */
export type RequestIssue = { field: string; message: string };

/** What a person has typed or ticked in an action's form, keyed by input path. @public */
export type FormValues = Record<string, string | boolean | string[]>;

/**
 * One input of an action's form. `name` is the path of the value in the action's input
 * (`requests.cpu`).
 * @public
 */
export type ActionFormField = {
  name: string;
  label: string;
  /**
   * `checklist` is a set of tick boxes whose value is the list of ticked `options`;
   * `select` is one of `options`.
   */
  type: 'number' | 'text' | 'boolean' | 'checklist' | 'select';
  options?: readonly string[];
  required?: boolean;
  initial?: boolean;
  /** The limit that applies, shown under the field before the user types. */
  hint?: (limits: ActionLimits) => string;
  /** Hides the field (and leaves its value out of the input) unless this holds. */
  shownWhen?: (values: FormValues) => boolean;
  /**
   * A secret value: masked in forms, never stored, logged, audited or echoed, shown in
   * diffs only as changed, and left out of agent tools (the engine generates it instead).
   */
  secret?: boolean;
};

/** Entities an action acts on: a service (Component) or a DR-target database (Resource). @public */
export type ActionEntityKind = 'Component' | 'Resource';

/** The auditor's severity levels. @public */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * What one input of an action asks for beyond the action's own rules: an in-place
 * restore, unlike a restore into a scratch database, needs its own permission, the
 * entity's name typed to confirm and a reason, even outside production.
 * @public
 */
export type ActionGuard = {
  /** Why this input is guarded, said next to the confirmation and in refusals. */
  why: string;
  /** A resource permission on the entity, checked besides `runbook.action.execute`. */
  permission?: ResourcePermission<'catalog-entity'>;
  /** The entity's name must be typed into `confirm`, whatever its lifecycle. */
  confirm?: boolean;
  /** `reason` must not be empty. */
  reason?: boolean;
  /** The run is audited at this severity instead of the definition's. */
  auditSeverity?: AuditSeverity;
};

/**
 * Everything about one runbook action that the backend, the frontend, the scaffolder and
 * agent tools share. Adding an action is one of these plus its executor in the backend.
 * @public
 */
export type RunbookActionDefinition<
  N extends string = string,
  S extends z.ZodType = z.ZodType,
> = {
  name: N;
  title: string;
  description: string;
  /** The validator of the action's input and, through `z.infer`, its type. */
  input: S;
  /** Checks a schema-valid input against the entity's runbook limits. */
  checkLimits?: (input: z.output<S>, limits: ActionLimits) => RequestIssue[];
  fields: readonly ActionFormField[];
  kinds: readonly ActionEntityKind[];
  /**
   * Whether the action changes state: it then takes the entity's lock, needs
   * `runbook.action.execute` and a person, and type-to-confirm in production. Read-only
   * actions need only `runbook.action.read` and are never narrowed by the allow-list.
   */
  changesState: boolean;
  auditSeverity: AuditSeverity;
  /** What an input asks for beyond the rules above; undefined when nothing. */
  guard?: (input: z.output<S>) => ActionGuard | undefined;
  /** Actions that work on one shared state, such as the blue-green colours. */
  family?: 'blue-green';
  /**
   * The permission the action needs on the entity when it is neither the execute
   * permission of a change nor the read permission of a read (`review-access` needs
   * `runbook.access.review`). Such an action is authorized like a change, by a person
   * and with audited refusals; whether it locks still follows `changesState`.
   */
  permission?: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>;
};

/**
 * The permission on the entity that admits a run of an action that needs a person
 * ({@link needsPerson}): its own, else `runbook.action.execute`. Other reads need only
 * `runbook.action.read`.
 * @public
 */
export function entityPermissionOf(
  definition: RunbookActionDefinition,
): ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY> {
  return definition.permission ?? runbookActionExecutePermission;
}

/**
 * Whether a run of the action needs a signed-in person whom the policy allows on the
 * entity: changes, and actions that name their own permission.
 * @public
 */
export function needsPerson(definition: RunbookActionDefinition): boolean {
  return definition.changesState || Boolean(definition.permission);
}

/** Declares an action, keeping its input type for `checkLimits`. @public */
export function defineAction<N extends string, S extends z.ZodType>(
  definition: RunbookActionDefinition<N, S>,
): RunbookActionDefinition<N, S> {
  return definition;
}
