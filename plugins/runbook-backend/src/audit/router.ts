import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AuditFilter,
  runbookAuditReadPermission,
} from '@nexus-cos/plugin-runbook-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { credentialsOf } from '../http/credentials';
import { intParam, stringParam, timeParam } from '../http/params';
import type { AuditTrail } from './AuditTrail';

function auditFilter(query: Request['query']): AuditFilter {
  return {
    entity: stringParam(query.entity, 'entity'),
    actor: stringParam(query.actor, 'actor'),
    action: stringParam(query.action, 'action'),
    outcome: stringParam(query.outcome, 'outcome'),
    run: stringParam(query.run, 'run'),
    from: timeParam(query.from, 'from'),
    to: timeParam(query.to, 'to'),
  };
}

function anchorsParam(value: unknown) {
  const text = stringParam(value, 'anchors');
  if (!text) return [];
  return text.split(',').map(pair => {
    const m = /^(\d+):([a-f0-9]{64})$/.exec(pair);
    if (!m)
      throw new InputError(
        'anchors must be a comma-separated list of seq:sha256hex',
      );
    return { seq: Number(m[1]), hash: m[2] };
  });
}

/** `GET /audit`, `/audit/export` and `/audit/verify`, for whoever may read the trail. */
export function createAuditRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditTrail;
}): express.Router {
  const { permissions, audit } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  const requireAuditRead = async (caller: BackstageCredentials) => {
    const [decision] = await permissions.authorize(
      [{ permission: runbookAuditReadPermission }],
      { credentials: caller },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to do this (${runbookAuditReadPermission.name})`,
      );
    }
  };

  router.get('/audit', async (req, res) => {
    await requireAuditRead(await credentials(req));
    const cursor = intParam(
      req.query.cursor,
      'cursor',
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const limit = intParam(req.query.limit, 'limit', 100, 1000, 1);
    const order = stringParam(req.query.order, 'order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') {
      throw new InputError('order must be asc or desc');
    }
    res.json(await audit.list(auditFilter(req.query), cursor, limit, order));
  });

  router.get('/audit/export', async (req, res) => {
    await requireAuditRead(await credentials(req));
    const format = req.query.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') {
      throw new InputError('format must be jsonl or csv');
    }
    const filter = auditFilter(req.query);
    res.type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    res.attachment(`runbook-audit.${format}`);
    for await (const chunk of audit.export(filter, format)) res.write(chunk);
    res.end();
  });

  router.get('/audit/verify', async (req, res) => {
    await requireAuditRead(await credentials(req));
    res.json(await audit.verify(anchorsParam(req.query.anchors)));
  });

  return router;
}
