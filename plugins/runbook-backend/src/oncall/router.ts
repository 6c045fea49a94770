import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { credentialsOf } from '../http/credentials';
import { entityRefParam } from '../http/params';
import { OnCallService } from './OnCallService';

/** `?at=`: the instant to resolve on-call for; now when absent. */
function atParam(value: unknown): Date {
  if (value === undefined) return new Date();
  const ms =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(
      value,
    )
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(ms)) {
    throw new InputError(
      'at must be an ISO 8601 instant with an offset, like "2026-11-27T09:00:00+01:00"',
    );
  }
  return new Date(ms);
}

/** `GET /entities/E/oncall` and `GET /oncall`. */
export function createOnCallRouter(options: {
  httpAuth: HttpAuthService;
  oncall: OnCallService;
}): express.Router {
  const { httpAuth, oncall } = options;
  const router = Router();
  const credentials = credentialsOf(httpAuth);

  router.get('/entities/:kind/:namespace/:name/oncall', async (req, res) => {
    const at = atParam(req.query.at);
    res.json(
      await oncall.forEntity(entityRefParam(req), at, await credentials(req)),
    );
  });

  router.get('/oncall', async (req, res) => {
    const at = atParam(req.query.at);
    res.json(await oncall.overview(at, await credentials(req)));
  });

  return router;
}
