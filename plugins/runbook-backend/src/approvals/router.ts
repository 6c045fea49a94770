import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { approvalDecisionRequestSchema } from '@nexus-cos/plugin-runbook-common';
import express from 'express';
import Router from 'express-promise-router';
import type { FleetApprovals } from '../fleet/FleetApprovals';
import { bodyErrors, jsonBody } from '../http/body';
import { credentialsOf } from '../http/credentials';
import { stringParam } from '../http/params';
import type { ApprovalService } from './ApprovalService';

/** The comment of an approval or rejection. */
function decisionComment(body: unknown): string {
  const parsed = approvalDecisionRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .map(i => (i.path.length ? i.message : `body: ${i.message}`))
        .join('; '),
    );
  }
  return parsed.data.comment;
}

/**
 * `GET /approvals` and the decisions on what waits: `POST /runs/:id/approve|reject` and
 * `POST /fleet/runs/:id/approve|reject`, each with `{ comment }`.
 */
export function createApprovalsRouter(options: {
  httpAuth: HttpAuthService;
  runs: ApprovalService;
  fleet: FleetApprovals;
}): express.Router {
  const { runs, fleet } = options;
  const credentials = credentialsOf(options.httpAuth);
  const router = Router();

  router.get('/approvals', async (req, res) => {
    const mine = stringParam(req.query.mine, 'mine') ?? 'false';
    if (mine !== 'true' && mine !== 'false') {
      throw new InputError('mine must be true or false');
    }
    const caller = await credentials(req);
    const [items, fleetItems] = await Promise.all([
      runs.list(mine === 'true', caller),
      fleet.list(mine === 'true', caller),
    ]);
    res.json({ items, fleet: fleetItems });
  });

  for (const [path, subject] of [
    ['/runs', runs],
    ['/fleet/runs', fleet],
  ] as const) {
    router.post(`${path}/:id/approve`, ...jsonBody(), async (req, res) => {
      const comment = decisionComment(req.body);
      res.json(
        await subject.approve(req.params.id, comment, await credentials(req)),
      );
    });
    router.post(`${path}/:id/reject`, ...jsonBody(), async (req, res) => {
      const comment = decisionComment(req.body);
      res.json(
        await subject.reject(req.params.id, comment, await credentials(req)),
      );
    });
  }

  router.use(bodyErrors);
  return router;
}
