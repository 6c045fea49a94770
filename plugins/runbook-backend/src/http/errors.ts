import { CustomErrorBase } from '@backstage/errors';

/**
 * 422: an Idempotency-Key reused with other parameters. `@backstage/errors` has no class
 * for it; the error middleware answers with `statusCode`.
 */
export class IdempotencyKeyReusedError extends CustomErrorBase {
  name = 'IdempotencyKeyReusedError';
  statusCode = 422;
}

/** 415: a request body that is not JSON. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError';
  statusCode = 415;
}

/** 413: a body over the size limit. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError';
  statusCode = 413;
}
