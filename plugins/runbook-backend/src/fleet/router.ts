import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { bodyErrors, jsonBody } from '../http/body';
import { credentialsOf } from '../http/credentials';
import { intParam, stringParam } from '../http/params';
import type { FleetService } from './FleetService';

/** `?scope=`: an entity ref, in the form fleet runs store it. */
function scopeParam(value: unknown): string | undefined {
  const scope = stringParam(value, 'scope');
  if (scope === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(scope));
  } catch {
    throw new InputError(
      'scope must be an entity ref like "system:default/media"',
    );
  }
}

/** The fleet routes: start, dry-run, read, list and cancel fleet runs. */
export function createFleetRouter(options: {
  httpAuth: HttpAuthService;
  fleet: FleetService;
}): express.Router {
  const { fleet } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  router.post('/fleet/runs', ...jsonBody(), async (req, res) => {
    const outcome = await fleet.request(req.body, await credentials(req));
    if (outcome.kind === 'dry-run') res.status(200).json(outcome.result);
    else res.status(202).json(outcome.run);
  });

  router.get('/fleet/runs', async (req, res) => {
    const scope = scopeParam(req.query.scope);
    const limit = intParam(req.query.limit, 'limit', 20, 100, 1);
    res.json({ items: await fleet.list(scope, limit, await credentials(req)) });
  });

  router.get('/fleet/runs/:id', async (req, res) => {
    res.json(await fleet.get(req.params.id, await credentials(req)));
  });

  router.post('/fleet/runs/:id/cancel', async (req, res) => {
    res
      .status(202)
      .json(await fleet.cancel(req.params.id, await credentials(req)));
  });

  router.use(bodyErrors);
  return router;
}
