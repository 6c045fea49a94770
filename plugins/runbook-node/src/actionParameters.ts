import { z as zod } from 'zod';
import { z, ZodTypeAny } from 'zod/v3';
import {
  RunbookActionName,
  actionDefinition,
} from '@nexus-cos/plugin-runbook-common';

/** The part of JSON Schema that zod writes for runbook inputs. */
type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: Array<string | number>;
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
};

function toV3(schema: JsonSchema): ZodTypeAny {
  let result: ZodTypeAny;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    result = z.union(branches.map(toV3) as [ZodTypeAny, ZodTypeAny]);
  } else if (schema.const !== undefined) {
    result = z.literal(schema.const as string | number | boolean);
  } else if (schema.enum) {
    result = z.enum(schema.enum.map(String) as [string, ...string[]]);
  } else if (schema.type === 'string') {
    let s = z.string();
    if (schema.minLength !== undefined) s = s.min(schema.minLength);
    if (schema.maxLength !== undefined) s = s.max(schema.maxLength);
    if (schema.pattern) s = s.regex(new RegExp(schema.pattern));
    result = s;
  } else if (schema.type === 'integer' || schema.type === 'number') {
    let n = z.number();
    if (schema.type === 'integer') n = n.int();
    if (schema.minimum !== undefined) n = n.min(schema.minimum);
    if (
      schema.maximum !== undefined &&
      schema.maximum < Number.MAX_SAFE_INTEGER
    )
      n = n.max(schema.maximum);
    result = n;
  } else if (schema.type === 'boolean') {
    result = z.boolean();
  } else if (schema.type === 'array') {
    let a = z.array(schema.items ? toV3(schema.items) : z.unknown());
    if (schema.minItems !== undefined) a = a.min(schema.minItems);
    if (schema.maxItems !== undefined) a = a.max(schema.maxItems);
    result = a;
  } else if (schema.type === 'object') {
    result = z.object(shapeOf(schema)).strict();
  } else {
    result = z.unknown();
  }
  return schema.description ? result.describe(schema.description) : result;
}

function shapeOf(schema: JsonSchema): Record<string, ZodTypeAny> {
  const required = new Set(schema.required ?? []);
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, property]) => {
      const type = toV3(property);
      return [key, required.has(key) ? type : type.optional()];
    }),
  );
}

/**
 * Alternatives of one input (`enabled: true` with limits, `enabled: false` alone) become
 * one object whose fields are optional unless every alternative needs them; a literal
 * that differs between them widens to its type. The engine checks the exact rules.
 */
function mergeAlternatives(branches: JsonSchema[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const branch of branches) {
    for (const [key, property] of Object.entries(branch.properties ?? {})) {
      const seen = properties[key];
      properties[key] =
        seen && seen.const !== property.const
          ? { type: property.type }
          : property;
    }
  }
  const required = Object.keys(properties).filter(key =>
    branches.every(b => b.required?.includes(key)),
  );
  return { type: 'object', properties, required };
}

/** The action's input as JSON Schema: one object, secret fields left out, labelled. */
export function actionInputJsonSchema(action: RunbookActionName): JsonSchema {
  const definition = actionDefinition(action);
  const written = zod.toJSONSchema(definition.input, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const branches = written.anyOf ?? written.oneOf;
  const object = branches ? mergeAlternatives(branches) : written;
  const properties = { ...object.properties };
  for (const field of definition.fields) {
    const key = field.name.split('.')[0];
    if (field.secret) delete properties[key];
    else if (properties[key] && !field.name.includes('.'))
      properties[key] = { ...properties[key], description: field.label };
  }
  return {
    type: 'object',
    properties,
    required: object.required?.filter(key => key in properties),
  };
}

/**
 * A zod v3 object of the action's input fields plus `extra` (such as `entityRef`), for
 * Backstage's scaffolder and actions registry, which describe and check inputs with zod
 * v3. It is a first check and the form's documentation; the engine's zod 4 schema in
 * -common remains the rule, with its messages that name the field and the limit.
 */
export function actionParametersSchema(
  action: RunbookActionName,
  extra: Record<string, ZodTypeAny>,
) {
  return z
    .object({ ...shapeOf(actionInputJsonSchema(action)), ...extra })
    .strict();
}
