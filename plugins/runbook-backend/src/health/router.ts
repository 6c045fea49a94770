import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express, { Request } from 'express';
import { entityRefParam, intParam, route } from '../service/params';
import { HealthService } from './HealthService';

/** `GET /health`, `GET /entities/E/health`, `.../events` and `.../logs`. */
export function createHealthRouter(options: {
  httpAuth: HttpAuthService;
  health: HealthService;
}): express.Router {
  const { httpAuth, health } = options;
  const router = express.Router();
  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get(
    '/health',
    route(async (req, res) => {
      res.json(await health.overview(await credentials(req)));
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/health',
    route(async (req, res) => {
      res.json(
        await health.forEntity(entityRefParam(req), await credentials(req)),
      );
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/events',
    route(async (req, res) => {
      const limit = intParam(req.query.limit, 'limit', 50, 500, 1);
      res.json({
        items: await health.events(
          entityRefParam(req),
          limit,
          await credentials(req),
        ),
      });
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/logs',
    route(async (req, res) => {
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
          },
          await credentials(req),
        ),
      );
    }),
  );

  return router;
}
