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

/** CPU quantity as Kubernetes writes it: cores ("2", "0.5") or millicores ("500m"). */
export const CPU_QUANTITY_PATTERN = /^(?:\d+(?:\.\d+)?|\d+m)$/;
/** Memory quantity in bytes with an optional binary or decimal suffix ("512Mi", "4Gi"). */
export const MEMORY_QUANTITY_PATTERN =
  /^\d+(?:\.\d+)?(?:Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** A container image with a tag or digest. */
export const imageSchema = z
  .string()
  .max(255, 'image must be at most 255 characters')
  .regex(
    IMAGE_PATTERN,
    'image must be a container image reference like "nexus-cos/<service>:<tag>" (no spaces or shell characters)',
  )
  .refine(image => /[:@]/.test(image.replace(/^[^/]*:[0-9]+\//, '')), {
    message: 'image must name a tag or digest, for example ":1.2.3"',
  });

/** A replica count within what any runbook may ask for. */
export const replicasSchema = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(MAX_REPLICAS, `must be at most ${MAX_REPLICAS}`);

/** A whole number of seconds up to `max`. */
export const secondsSchema = (max: number) =>
  z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must be at least 0')
    .max(max, `must be at most ${max}`);

/** A Kubernetes object name (DNS subdomain), for fields that name one. */
export const objectNameSchema = (what: string) =>
  z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      `must be a ${what} name (lower-case letters, digits, "-" and ".")`,
    );

/** The input of an action that takes none. */
export const noInput = z.strictObject({});
