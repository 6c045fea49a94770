import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AuditFilter,
  runbookAuditReadPermission,
} from '@nexus-cos/plugin-runbook-common';
import express, { NextFunction, Request, Response } from 'express';
import { AuditTrail } from '../audit/AuditTrail';
import {
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../engine/errors';
import { RunService } from '../engine/RunService';
import {
  entityRefParam,
  intParam,
  route,
  stringParam,
  timeParam,
} from './params';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 64 * 1024;

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

/** Only JSON bodies, at most MAX_BODY_BYTES; shared by the incident and health routers. */
export function jsonBody(): express.RequestHandler[] {
  return [
    (req, _res, next) =>
      next(
        req.is('application/json')
          ? undefined
          : new UnsupportedMediaTypeError(
              'The request body must be JSON (Content-Type: application/json)',
            ),
      ),
    express.json({ limit: MAX_BODY_BYTES, strict: true }),
  ];
}

export function bodyErrors(
  error: any,
  _req: Request,
  _res: Response,
  next: NextFunction,
) {
  if (error?.type === 'entity.too.large') {
    next(
      new PayloadTooLargeError(
        `The request body must be at most ${MAX_BODY_BYTES} bytes`,
      ),
    );
  } else if (error?.type === 'entity.parse.failed') {
    next(new InputError('The request body is not valid JSON'));
  } else {
    next(error);
  }
}

/** The runbook HTTP API; see the design's API table. */
export function createRouter(options: {
  httpAuth: HttpAuthService;
  runs: RunService;
  audit: AuditTrail;
}): express.Router {
  const { httpAuth, runs, audit } = options;
  const router = express.Router();
  const credentials = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get(
    '/entities/:kind/:namespace/:name/runbook',
    route(async (req, res) => {
      res.json(
        await runs.getRunbook(entityRefParam(req), await credentials(req)),
      );
    }),
  );

  router.post(
    '/entities/:kind/:namespace/:name/runs',
    ...jsonBody(),
    route(async (req, res) => {
      const key = req.header('Idempotency-Key');
      if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new InputError(
          'Idempotency-Key must be 1 to 255 visible ASCII characters',
        );
      }
      const outcome = await runs.requestRun({
        ref: entityRefParam(req),
        body: req.body,
        credentials: await credentials(req),
        idempotencyKey: key,
      });
      if (outcome.kind === 'dry-run') {
        res.status(200).json(outcome.result);
      } else {
        res.status(outcome.replayed ? 200 : 202).json(outcome.run);
      }
    }),
  );

  router.get(
    '/entities/:kind/:namespace/:name/runs',
    route(async (req, res) => {
      const limit = intParam(req.query.limit, 'limit', 50, 500);
      res.json({
        items: await runs.listRuns(
          entityRefParam(req),
          limit,
          await credentials(req),
        ),
      });
    }),
  );

  router.get(
    '/runs/:id',
    route(async (req, res) => {
      res.json(await runs.getRun(req.params.id, await credentials(req)));
    }),
  );

  router.get(
    '/runs/:id/log',
    route(async (req, res) => {
      const after = intParam(
        req.query.after,
        'after',
        0,
        Number.MAX_SAFE_INTEGER,
      );
      res.json({
        items: await runs.getLog(req.params.id, after, await credentials(req)),
      });
    }),
  );

  router.post(
    '/runs/:id/cancel',
    route(async (req, res) => {
      res
        .status(202)
        .json(await runs.cancel(req.params.id, await credentials(req)));
    }),
  );

  router.get(
    '/audit',
    route(async (req, res) => {
      await runs.authorizeBasic(
        runbookAuditReadPermission,
        await credentials(req),
      );
      const cursor = intParam(
        req.query.cursor,
        'cursor',
        0,
        Number.MAX_SAFE_INTEGER,
      );
      const limit = intParam(req.query.limit, 'limit', 100, 1000);
      const order = stringParam(req.query.order, 'order') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') {
        throw new InputError('order must be asc or desc');
      }
      res.json(await audit.list(auditFilter(req.query), cursor, limit, order));
    }),
  );

  router.get(
    '/audit/export',
    route(async (req, res) => {
      await runs.authorizeBasic(
        runbookAuditReadPermission,
        await credentials(req),
      );
      const format = req.query.format ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') {
        throw new InputError('format must be jsonl or csv');
      }
      const filter = auditFilter(req.query);
      res.type(format === 'csv' ? 'text/csv' : 'application/x-ndjson');
      res.attachment(`runbook-audit.${format}`);
      for await (const chunk of audit.export(filter, format)) res.write(chunk);
      res.end();
    }),
  );

  router.get(
    '/audit/verify',
    route(async (req, res) => {
      await runs.authorizeBasic(
        runbookAuditReadPermission,
        await credentials(req),
      );
      res.json(await audit.verify(anchorsParam(req.query.anchors)));
    }),
  );

  router.use(bodyErrors);
  return router;
}
