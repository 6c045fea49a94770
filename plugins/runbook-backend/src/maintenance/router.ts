import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  MAINTENANCE_PERIODS,
  MaintenancePeriod,
  completeMaintenanceItemSchema,
} from '@nexus-cos/plugin-runbook-common';
import express from 'express';
import Router from 'express-promise-router';
import { bodyErrors, jsonBody } from '../http/body';
import { credentialsOf } from '../http/credentials';
import { stringParam, timeParam } from '../http/params';
import type { MaintenanceService } from './MaintenanceService';

/** `GET /maintenance` and `POST /maintenance/items/:id/complete`. */
export function createMaintenanceRouter(options: {
  httpAuth: HttpAuthService;
  maintenance: MaintenanceService;
}): express.Router {
  const { maintenance } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  router.get('/maintenance', async (req, res) => {
    const period = stringParam(req.query.period, 'period');
    if (!MAINTENANCE_PERIODS.includes(period as MaintenancePeriod)) {
      throw new InputError(
        `period must be one of: ${MAINTENANCE_PERIODS.join(', ')}`,
      );
    }
    const at = timeParam(req.query.at, 'at');
    res.json(
      await maintenance.calendar(
        period as MaintenancePeriod,
        at ? new Date(at) : undefined,
        await credentials(req),
      ),
    );
  });

  router.post(
    '/maintenance/items/:id/complete',
    ...jsonBody(),
    async (req, res) => {
      const body = completeMaintenanceItemSchema.safeParse(req.body);
      if (!body.success) {
        throw new InputError(
          body.error.issues
            .map(i => (i.path.length ? i.message : `body: ${i.message}`))
            .join('; '),
        );
      }
      res.json(
        await maintenance.complete(
          req.params.id,
          body.data.note,
          await credentials(req),
        ),
      );
    },
  );

  router.use(bodyErrors);
  return router;
}
