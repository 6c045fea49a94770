import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';

function annotationError(entity: Entity, key: string, problem: string): Error {
  const value = entity.metadata.annotations?.[key];
  return new Error(
    `Invalid annotation ${key} on ${stringifyEntityRef(
      entity,
    )} (${JSON.stringify(value)}): ${problem}`,
  );
}

/**
 * Parses the annotation `key` of `entity` with `schema`; the Error names the entity, the
 * annotation, its value and each problem, so that a catalog author can fix it.
 */
export function parseAnnotation<T>(
  entity: Entity,
  key: string,
  schema: z.ZodType<T, string>,
): T {
  const result = schema.safeParse(entity.metadata.annotations?.[key]);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map(issue =>
    issue.path.length
      ? `[${issue.path.join('.')}] ${issue.message}`
      : issue.message,
  );
  throw annotationError(entity, key, problems.join('; '));
}

/**
 * Resolves a name or ref found in annotation `key` to a full ref of the expected kind,
 * e.g. `alice` → `user:default/alice`.
 */
export function toEntityRef(
  entity: Entity,
  key: string,
  nameOrRef: string,
  defaults: { kind: string; namespace: string },
): string {
  let ref;
  try {
    ref = parseEntityRef(nameOrRef, {
      defaultKind: defaults.kind,
      defaultNamespace: defaults.namespace,
    });
  } catch (error) {
    throw annotationError(
      entity,
      key,
      `"${nameOrRef}" is not an entity ref: ${error}`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== defaults.kind) {
    throw annotationError(
      entity,
      key,
      `"${nameOrRef}" must refer to a ${defaults.kind}, not a ${ref.kind}`,
    );
  }
  return stringifyEntityRef({ ...ref, kind: defaults.kind });
}
