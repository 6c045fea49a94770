import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

/** Largest request body the runbook routes accept. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Only JSON bodies, at most `limit` bytes; put {@link bodyErrors} after the routes. */
export function jsonBody(limit = MAX_BODY_BYTES): express.RequestHandler[] {
  return [
    (req, _res, next) =>
      next(
        req.is('application/json')
          ? undefined
          : new UnsupportedMediaTypeError(
              'The request body must be JSON (Content-Type: application/json)',
            ),
      ),
    express.json({ limit, strict: true }),
  ];
}

/** Turns body-parser failures into the contract's 413 and 400. */
export function bodyErrors(
  error: any,
  _req: Request,
  _res: Response,
  next: NextFunction,
) {
  if (error?.type === 'entity.too.large') {
    next(
      new PayloadTooLargeError(
        `The request body must be at most ${error.limit} bytes`,
      ),
    );
  } else if (error?.type === 'entity.parse.failed') {
    next(new InputError('The request body is not valid JSON'));
  } else {
    next(error);
  }
}
