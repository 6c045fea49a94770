import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  IncidentSeverity,
  IncidentStatus,
  OPEN_INCIDENT_STATUSES,
} from '@nexus-cos/plugin-runbook-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { credentialsOf } from '../http/credentials';
import { IncidentFilter } from './IncidentStore';
import { entityRefParam, stringParam } from '../http/params';
import { bodyErrors, jsonBody } from '../http/body';
import { AlertmanagerReceiver } from './AlertmanagerReceiver';
import { IncidentQueries } from './IncidentQueries';
import { IncidentService } from './IncidentService';

const MAX_LIST = 500;

/** Refs in one `entity` filter: enough for a System's services and the System. */
const MAX_LIST_ENTITIES = 100;

/** `entity` takes one full ref or a comma-separated list, as `status` does. */
function entitiesParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(
      'entity must be a single value; separate several refs with commas',
    );
  }
  const refs = value.split(',');
  if (refs.length > MAX_LIST_ENTITIES) {
    throw new InputError(
      `entity must name at most ${MAX_LIST_ENTITIES} entities; got ${refs.length}`,
    );
  }
  if (refs.some(ref => !/^[a-z0-9-]+:[a-z0-9._-]+\/[a-z0-9._-]+$/i.test(ref))) {
    throw new InputError(
      'entity must be a full entity ref like "component:default/media-upload", or several separated by commas',
    );
  }
  return [...new Set(refs.map(ref => ref.toLocaleLowerCase('en-US')))];
}

/** `GET /incidents` filters: `status` takes a comma-separated list or `open`. */
function listFilter(query: Request['query']): IncidentFilter {
  const entityRefs = entitiesParam(query.entity);
  const status = stringParam(query.status, 'status');
  let statuses: IncidentStatus[] | undefined;
  if (status === 'open') statuses = [...OPEN_INCIDENT_STATUSES];
  else if (status !== undefined) {
    statuses = status.split(',') as IncidentStatus[];
    const bad = statuses.find(s => !INCIDENT_STATUSES.includes(s));
    if (bad !== undefined) {
      throw new InputError(
        `status must be "open" or a comma-separated list of ${INCIDENT_STATUSES.join(
          ', ',
        )}; got "${bad}"`,
      );
    }
  }
  const severity = stringParam(query.severity, 'severity');
  if (
    severity !== undefined &&
    !INCIDENT_SEVERITIES.includes(severity as IncidentSeverity)
  ) {
    throw new InputError(
      `severity must be one of ${INCIDENT_SEVERITIES.join(', ')}`,
    );
  }
  return {
    entityRefs,
    statuses,
    severity: severity as IncidentSeverity | undefined,
  };
}

function limitParam(value: unknown): number {
  if (value === undefined) return 100;
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    Number(value) < 1 ||
    Number(value) > MAX_LIST
  ) {
    throw new InputError(
      `limit must be a whole number between 1 and ${MAX_LIST}`,
    );
  }
  return Number(value);
}

/** The incident routes and the Alertmanager webhook. */
export function createIncidentRouter(options: {
  httpAuth: HttpAuthService;
  incidents: IncidentService;
  queries: IncidentQueries;
  alerts: AlertmanagerReceiver;
}): express.Router {
  const { httpAuth, incidents, queries, alerts } = options;
  const router = Router();
  const credentials = credentialsOf(httpAuth);

  router.post('/incidents', ...jsonBody(), async (req, res) => {
    res
      .status(201)
      .json(await incidents.declare(req.body, await credentials(req)));
  });

  router.get('/incidents', async (req, res) => {
    const filter = listFilter(req.query);
    const limit = limitParam(req.query.limit);
    res.json({
      items: await queries.list(filter, limit, await credentials(req)),
    });
  });

  router.get('/incidents/:id', async (req, res) => {
    res.json(await queries.get(req.params.id, await credentials(req)));
  });

  router.post('/incidents/:id/acknowledge', async (req, res) => {
    res.json(
      await incidents.acknowledge(req.params.id, await credentials(req)),
    );
  });

  router.patch('/incidents/:id', ...jsonBody(), async (req, res) => {
    res.json(
      await incidents.update(req.params.id, req.body, await credentials(req)),
    );
  });

  router.post('/incidents/:id/timeline', ...jsonBody(), async (req, res) => {
    res
      .status(201)
      .json(
        await incidents.addTimelineEntry(
          req.params.id,
          req.body,
          await credentials(req),
        ),
      );
  });

  router.put('/incidents/:id/postmortem', ...jsonBody(), async (req, res) => {
    res.json(
      await incidents.writePostMortem(
        req.params.id,
        req.body,
        await credentials(req),
      ),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/incidents/stats',
    async (req, res) => {
      const ref = stringifyEntityRef(entityRefParam(req)).toLocaleLowerCase(
        'en-US',
      );
      res.json(await queries.stats(ref, await credentials(req)));
    },
  );

  router.post('/alerts/alertmanager', ...jsonBody(), async (req, res) => {
    res.json({
      results: await alerts.receive(req.body, await credentials(req)),
    });
  });

  router.use(bodyErrors);
  return router;
}
