import { ResponseError } from '@backstage/errors';

/** An error as a task log reader needs it: the engine's status and message, if it answered. */
export function describeError(error: unknown): string {
  if (error instanceof ResponseError) {
    return `HTTP ${error.statusCode}: ${error.cause.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
