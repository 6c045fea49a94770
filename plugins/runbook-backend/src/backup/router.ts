import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { runbookActionReadPermission } from '@nexus-cos/plugin-runbook-common';
import express from 'express';
import Router from 'express-promise-router';
import { credentialsOf } from '../http/credentials';
import { intParam, stringParam } from '../http/params';
import type { BackupService } from './BackupService';

/** `GET /backups?target=`: a DR target's backups, or a service's configuration bundles. */
export function createBackupRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  backups: BackupService;
}): express.Router {
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  router.get('/backups', async (req, res) => {
    const target = stringParam(req.query.target, 'target');
    if (!target) {
      throw new InputError(
        'target is required: the name of a DR target (nexus-db) or the entity ref of a service for its configuration backups',
      );
    }
    const limit = intParam(req.query.limit, 'limit', 100, 500, 1);
    const [decision] = await options.permissions.authorize(
      [{ permission: runbookActionReadPermission }],
      { credentials: await credentials(req) },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${runbookActionReadPermission.name})`,
      );
    }
    res.json({ items: await options.backups.list(target, limit) });
  });

  return router;
}
