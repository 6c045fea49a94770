import {
  applyPatch as applyJsonPatch,
  JsonPatchError,
  Operation,
} from 'fast-json-patch';
import { ApiError, badRequest } from '../api/errors';
import { applyMergePatch } from './mergePatch';
import { applyStrategicMergePatch } from './strategicMergePatch';

/** Patch content types the sandbox accepts, as `kubectl` and client libraries send them. */
export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/**
 * Applies a patch body of the given content type to a copy of `target`. Failures are
 * API errors: 415 for unknown patch types, 400 for malformed patches, 422 for JSON
 * patches that cannot apply (a failed `test`, a missing path).
 */
export function applyPatchBody(
  contentType: string,
  target: object,
  body: unknown,
): any {
  switch (contentType) {
    case 'application/merge-patch+json':
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw badRequest('merge patch must be a JSON object');
      }
      return applyMergePatch(target, body);
    case 'application/strategic-merge-patch+json':
      return applyStrategicMergePatch(target, body);
    case 'application/json-patch+json':
      return applyJsonPatchOps(target, body);
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(
          ', ',
        )}`,
      );
  }
}

const MALFORMED_OPERATION = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

function applyJsonPatchOps(target: object, body: unknown) {
  if (!Array.isArray(body))
    throw badRequest('json patch must be a JSON array of operations');
  try {
    return applyJsonPatch(
      structuredClone(target),
      body as Operation[],
      true,
      true,
    ).newDocument;
  } catch (e) {
    if (e instanceof JsonPatchError) {
      const message = e.message.split('\n')[0];
      // Malformed operations are the client's syntax error; well-formed ones that
      // cannot apply to this object are semantically invalid.
      if (MALFORMED_OPERATION.has(e.name))
        throw badRequest(`invalid json patch: ${message}`);
      throw new ApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${message}`,
      );
    }
    throw e;
  }
}
