import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import type { Run, RunLogEntry } from '@nexus-cos/plugin-runbook-common';
import express from 'express';

/** A start request as the fake runbook backend received it. */
export type ReceivedRun = {
  entityRef: string;
  body: { action: string; input: unknown; confirm?: string; reason?: string };
  idempotencyKey?: string;
  /** Who the request was made for, as the backend's httpAuth saw it. */
  user?: string;
};

/**
 * A runbook backend plugin serving the run API of DESIGN.md from memory, for running the
 * scaffolder with this module end to end. Every run succeeds at once with two log lines.
 */
export function createFakeRunbookBackend() {
  const received: ReceivedRun[] = [];
  const runs = new Map<string, { run: Run; log: RunLogEntry[] }>();

  const plugin = createBackendPlugin({
    pluginId: 'runbook',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = express.Router();
          router.use(express.json());
          router.post(
            '/entities/:kind/:namespace/:name/runs',
            async (req, res) => {
              const credentials = await httpAuth.credentials(req, {
                allow: ['user'],
              });
              const entityRef = `${req.params.kind}:${req.params.namespace}/${req.params.name}`;
              const idempotencyKey = req.header('Idempotency-Key');
              received.push({
                entityRef,
                body: req.body,
                idempotencyKey,
                user: credentials.principal.userEntityRef,
              });
              const earlier = runs.get(`run-${idempotencyKey}`);
              if (earlier) {
                res.status(200).json(earlier.run);
                return;
              }
              const run: Run = {
                id: `run-${idempotencyKey}`,
                entityRef,
                action: req.body.action,
                input: req.body.input,
                status: 'succeeded',
                actor: credentials.principal.userEntityRef,
                createdAt: new Date().toISOString(),
                after: { action: req.body.action },
              };
              const at = run.createdAt;
              runs.set(run.id, {
                run,
                log: [
                  {
                    seq: 1,
                    at,
                    level: 'info',
                    message: `${run.action}: applied`,
                  },
                  {
                    seq: 2,
                    at,
                    level: 'info',
                    message: `${run.action}: converged`,
                  },
                ],
              });
              res.status(202).json(run);
            },
          );
          router.get('/runs/:id', (req, res) => {
            const state = runs.get(req.params.id);
            if (state) {
              res.json(state.run);
            } else {
              res.status(404).json({
                error: { name: 'NotFoundError', message: 'no such run' },
              });
            }
          });
          router.get('/runs/:id/log', (req, res) => {
            const after = Number(req.query.after ?? 0);
            res.json({
              items: (runs.get(req.params.id)?.log ?? []).filter(
                e => e.seq > after,
              ),
            });
          });
          httpRouter.use(router);
        },
      });
    },
  });
  return { plugin, received };
}
