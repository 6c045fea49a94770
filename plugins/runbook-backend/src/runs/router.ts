import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  RUN_INITIATOR_HEADER,
  RUNBOOK_ACTIONS,
  RunInitiator,
  RunbookActionName,
} from '@nexus-cos/plugin-runbook-common';
import express from 'express';
import Router from 'express-promise-router';
import { bodyErrors, jsonBody } from '../http/body';
import { credentialsOf } from '../http/credentials';
import { entityRefParam, intParam, stringParam } from '../http/params';
import type { RunAdmission } from './RunAdmission';
import type { RunbookView } from './RunbookView';
import type { RunService } from './RunService';

/**
 * How a request says who started it. Agents are known by their path (the actions
 * registry), not by a header, so an agent cannot claim to be anything else.
 */
function initiatorOf(req: express.Request): RunInitiator {
  const value = req.header(RUN_INITIATOR_HEADER);
  if (value === undefined || value === 'person') return 'person';
  if (value === 'scaffolder') return 'scaffolder';
  throw new InputError(
    `${RUN_INITIATOR_HEADER} must be person or scaffolder, got "${value.slice(
      0,
      40,
    )}"`,
  );
}

/** `GET /entities/E/runbook` and the run routes. */
export function createRunsRouter(options: {
  httpAuth: HttpAuthService;
  view: RunbookView;
  admission: RunAdmission;
  runs: RunService;
}): express.Router {
  const { view, admission, runs } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  router.get('/entities/:kind/:namespace/:name/runbook', async (req, res) => {
    res.json(
      await view.getRunbook(entityRefParam(req), await credentials(req)),
    );
  });

  router.post(
    '/entities/:kind/:namespace/:name/runs',
    ...jsonBody(),
    async (req, res) => {
      const key = req.header('Idempotency-Key');
      if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new InputError(
          'Idempotency-Key must be 1 to 255 visible ASCII characters',
        );
      }
      const outcome = await admission.requestRun({
        ref: entityRefParam(req),
        body: req.body,
        credentials: await credentials(req),
        idempotencyKey: key,
        initiator: initiatorOf(req),
      });
      if (outcome.kind === 'dry-run') {
        res.status(200).json(outcome.result);
      } else {
        res.status(outcome.replayed ? 200 : 202).json(outcome.run);
      }
    },
  );

  router.get('/entities/:kind/:namespace/:name/runs', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 50, 500);
    const action = stringParam(req.query.action, 'action');
    if (action !== undefined && !RUNBOOK_ACTIONS.includes(action as any)) {
      throw new InputError(
        `action must be one of: ${RUNBOOK_ACTIONS.join(', ')}`,
      );
    }
    res.json({
      items: await runs.listRuns(
        entityRefParam(req),
        limit,
        await credentials(req),
        action as RunbookActionName | undefined,
      ),
    });
  });

  router.get('/runs/:id', async (req, res) => {
    res.json(await runs.getRun(req.params.id, await credentials(req)));
  });

  router.get('/runs/:id/log', async (req, res) => {
    const after = intParam(
      req.query.after,
      'after',
      0,
      Number.MAX_SAFE_INTEGER,
    );
    res.json({
      items: await runs.getLog(req.params.id, after, await credentials(req)),
    });
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    res
      .status(202)
      .json(await runs.cancel(req.params.id, await credentials(req)));
  });

  router.use(bodyErrors);
  return router;
}
