import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { bodyErrors, jsonBody } from '../http/body';
import { credentialsOf } from '../http/credentials';
import { entityRefParam, stringParam } from '../http/params';
import type { SecurityService } from './SecurityService';

/** The security reads of a service, the overview, and Trivy report uploads. */
export function createSecurityRouter(options: {
  httpAuth: HttpAuthService;
  security: SecurityService;
  /** Body limit of uploads; real reports are often far above the other routes' 64 KiB. */
  maxReportBytes: number;
}): express.Router {
  const { security } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();
  const entity = '/entities/:kind/:namespace/:name';

  router.get(`${entity}/certificates`, async (req, res) => {
    res.json(
      await security.certificates(entityRefParam(req), await credentials(req)),
    );
  });
  router.get(`${entity}/access`, async (req, res) => {
    res.json(
      await security.access(entityRefParam(req), await credentials(req)),
    );
  });
  router.get(`${entity}/vulnerabilities`, async (req, res) => {
    res.json(
      await security.vulnerabilities(
        entityRefParam(req),
        await credentials(req),
      ),
    );
  });
  router.get(`${entity}/security-findings`, async (req, res) => {
    res.json(
      await security.findings(entityRefParam(req), await credentials(req)),
    );
  });
  router.post(
    '/vulnerabilities/reports',
    ...jsonBody(options.maxReportBytes),
    async (req, res) => {
      const image = stringParam(req.query.image, 'image');
      res
        .status(201)
        .json(await security.upload(req.body, image, await credentials(req)));
    },
  );
  router.get('/security/overview', async (req, res) => {
    res.json(await security.overview(await credentials(req)));
  });

  router.use(bodyErrors);
  return router;
}
