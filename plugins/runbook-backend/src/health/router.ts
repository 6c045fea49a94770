import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express, { NextFunction, Request, Response } from 'express';
import { HealthService } from './HealthService';

const route =
  (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction) =>
    handler(req, res).catch(next);

const entityRef = (req: Request) => ({
  kind: req.params.kind,
  namespace: req.params.namespace,
  name: req.params.name,
});

function count(value: unknown, name: string, fallback: number, max: number) {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    Number(value) < 1 ||
    Number(value) > max
  ) {
    throw new InputError(`${name} must be a whole number between 1 and ${max}`);
  }
  return Number(value);
}

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
      res.json(await health.forEntity(entityRef(req), await credentials(req)));
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/events',
    route(async (req, res) => {
      const limit = count(req.query.limit, 'limit', 50, 500);
      res.json({
        items: await health.events(
          entityRef(req),
          limit,
          await credentials(req),
        ),
      });
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/logs',
    route(async (req, res) => {
      const tail = count(req.query.tail, 'tail', 100, 5000);
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
          entityRef(req),
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
