import { ResponseError } from '@backstage/errors';

/**
 * What the backend said, for a message the user reads in place: a `ResponseError`'s
 * title is only "Request failed with 409 Conflict", the reason is in its cause.
 */
export const serverMessage = (error: Error): string =>
  ResponseError.is(error) ? error.cause.message : error.message;
