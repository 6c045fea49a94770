import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { credentialsOf } from '../http/credentials';
import { clusterTokenHeader } from '@nexus-cos/plugin-runbook-common';
import { clusterParam, entityRefParam, intParam } from '../http/params';
import { ClusterTokens, HealthService } from './HealthService';

/** `GET /health`, `GET /entities/E/health`, `.../events` and `.../logs`. */
export function createHealthRouter(options: {
  httpAuth: HttpAuthService;
  health: HealthService;
}): express.Router {
  const { httpAuth, health } = options;
  const router = Router();
  const credentials = credentialsOf(httpAuth);
  // The user's tokens for clusters read per request, in the Kubernetes plugin's headers.
  const clusterToken =
    (req: Request): ClusterTokens =>
    authProvider => {
      if (!health.tokenProviders.includes(authProvider)) return undefined;
      const value = req.header(clusterTokenHeader(authProvider));
      return value?.replace(/^Bearer\s+/i, '') || undefined;
    };

  router.get('/health', async (req, res) => {
    res.json(await health.overview(await credentials(req), clusterToken(req)));
  });

  router.get('/entities/:kind/:namespace/:name/health', async (req, res) => {
    res.json(
      await health.forEntity(
        entityRefParam(req),
        await credentials(req),
        clusterToken(req),
      ),
    );
  });

  router.get('/entities/:kind/:namespace/:name/events', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 50, 500, 1);
    const cluster = clusterParam(req.query.cluster);
    res.json({
      items: await health.events(
        entityRefParam(req),
        { limit, cluster },
        await credentials(req),
        clusterToken(req),
      ),
    });
  });

  router.get('/entities/:kind/:namespace/:name/logs', async (req, res) => {
    const tail = intParam(req.query.tail, 'tail', 100, 5000, 1);
    const { pod, errors } = req.query;
    if (
      pod !== undefined &&
      (typeof pod !== 'string' || !/^[a-z0-9][a-z0-9.-]{0,252}$/.test(pod))
    ) {
      throw new InputError(
        'pod must be a pod name (lower-case letters, digits, "-" and ".")',
      );
    }
    if (errors !== undefined && errors !== 'true' && errors !== 'false') {
      throw new InputError('errors must be true or false');
    }
    res.json(
      await health.logs(
        entityRefParam(req),
        {
          pod: pod as string | undefined,
          tail,
          errorsOnly: errors === 'true',
          cluster: clusterParam(req.query.cluster),
        },
        await credentials(req),
        clusterToken(req),
      ),
    );
  });

  return router;
}
