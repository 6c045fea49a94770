import type { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { clusterNameSchema } from '@nexus-cos/plugin-runbook-common';
import type { Request } from 'express';

/**
 * The entity named by the `:kind/:namespace/:name` path parameters, as given: each
 * feature stringifies it the way its stored rows already are.
 */
export const entityRefParam = (req: Request): CompoundEntityRef => ({
  kind: req.params.kind,
  namespace: req.params.namespace,
  name: req.params.name,
});

/** A whole-number query parameter within `[min, max]`, or `fallback` when absent. */
export function intParam(
  value: unknown,
  name: string,
  fallback: number,
  max: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) {
    throw new InputError(
      `${name} must be a whole number between ${min} and ${max}`,
    );
  }
  return n;
}

/** An ISO 8601 time query parameter, normalised to UTC. */
export function timeParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new InputError(`${name} must be an ISO 8601 time`);
  }
  return new Date(ms).toISOString();
}

/** A single string query parameter of at most 255 characters. */
export function stringParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 255) {
    throw new InputError(
      `${name} must be a single value of at most 255 characters`,
    );
  }
  return value;
}

/** `?cluster=`: a cluster's name, as a run request's `cluster` is checked. */
export function clusterParam(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const parsed = clusterNameSchema.safeParse(value);
  if (!parsed.success) {
    throw new InputError(`cluster ${parsed.error.issues[0].message}`);
  }
  return parsed.data;
}
