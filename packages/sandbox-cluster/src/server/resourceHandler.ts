import { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from '../api/errors';
import { DeleteOptions } from '../api/deletion';
import { ApiOperations } from '../api/operations';
import { ResourceType } from '../api/resources';
import { PodLogs } from '../controllers/PodLogs';
import { PodUsageSource } from '../metrics/podMetrics';
import { applyPatchBody } from '../patch/applyPatch';
import {
  mediaType,
  parseJson,
  parseObjectBody,
  readObjectBody,
  readRaw,
} from './body';
import { list, renderOne, selectors } from './listing';
import { podMetricsReply } from './metricsHandler';
import { podLog } from './podLog';
import { queryBool } from './queryBool';
import { ResourceRoute } from './routes';
import { toTable, wantsTable } from './tables';
import { serveWatch } from './watch';

/** What a resource request needs from the running cluster. */
export interface HandlerContext {
  ops: ApiOperations;
  logs: PodLogs;
  /** Read on every metrics request, so it can be swapped while running. */
  podUsage(): PodUsageSource;
  bookmarkMs: number;
  trackStream(close: () => void): () => void;
}

type Reply = (status: number, body: unknown, contentType?: string) => void;

/** Serves one request on a resource URL: get, list, watch, create, update, patch, delete, and subresources. */
export async function handleResource(
  ctx: HandlerContext,
  route: ResourceRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  reply: Reply,
) {
  const { resource: r, name, subresource } = route;
  const namespace = r.namespaced ? route.namespace : '';
  const q = url.searchParams;
  const dryRun = parseDryRun(q);
  const method = req.method ?? 'GET';
  const { ops } = ctx;

  if (r.computed) {
    return reply(
      200,
      podMetricsReply(
        ops,
        ctx.podUsage(),
        method,
        namespace,
        name,
        q.get('labelSelector'),
      ),
    );
  }
  if (
    subresource !== undefined &&
    !r.subresources.includes(subresource as any)
  ) {
    throw new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }
  if (name === undefined) {
    if (method === 'GET') {
      if (queryBool(q, 'watch')) return watch(ctx, route, req, res, q);
      return reply(200, list(ops, r, namespace, req, q));
    }
    if (method === 'POST') {
      if (namespace === undefined)
        throw new ApiError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource: create ${r.plural} needs a namespace`,
        );
      const body = await readObjectBody(req);
      return reply(201, ops.create(r, namespace, body, { dryRun }));
    }
    throw methodNotAllowed(method);
  }
  if (r.namespaced && namespace === undefined) {
    throw new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }
  const ns = namespace ?? '';

  if (subresource === 'log') {
    if (method !== 'GET') throw methodNotAllowed(method);
    return reply(200, podLog(ops, ctx.logs, ns, name, q), 'text/plain');
  }
  if (subresource === 'scale')
    return scale(ctx, r, ns, name, req, method, dryRun, reply);
  const sub = subresource === 'status' ? ('status' as const) : undefined;
  switch (method) {
    case 'GET':
      return reply(200, renderOne(req, q, r, ops.get(r, ns, name)));
    case 'PUT': {
      const body = await readObjectBody(req);
      return reply(
        200,
        ops.update(r, ns, name, body, { dryRun, subresource: sub }),
      );
    }
    case 'PATCH': {
      if (mediaType(req) === 'application/apply-patch+yaml') {
        const body = parseObjectBody(await readRaw(req), 'application/yaml');
        const applied = ops.apply(r, ns, name, body, {
          dryRun,
          fieldManager: q.get('fieldManager') ?? undefined,
        });
        return reply(applied.created ? 201 : 200, applied.object);
      }
      const body = parseJson(await readRaw(req));
      return reply(
        200,
        ops.patch(r, ns, name, mediaType(req), body, {
          dryRun,
          subresource: sub,
        }),
      );
    }
    case 'DELETE': {
      const raw = await readRaw(req);
      const opts = deleteOptions(raw, q, dryRun);
      const result = ops.delete(r, ns, name, opts);
      return reply(result.metadata.deletionTimestamp ? 202 : 200, result);
    }
    default:
      throw methodNotAllowed(method);
  }
}

function methodNotAllowed(method: string) {
  return new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

function parseDryRun(q: URLSearchParams) {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All')
      throw badRequest(
        `Invalid dryRun value: "${v}": supported value is "All"`,
      );
  }
  return values.length > 0;
}

function watch(
  ctx: HandlerContext,
  route: ResourceRoute,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
) {
  const r = route.resource;
  const table = wantsTable(req.headers.accept);
  const timeout = q.get('timeoutSeconds');
  if (timeout !== null && !/^\d+$/.test(timeout)) {
    throw badRequest(`invalid timeoutSeconds: ${timeout}`);
  }
  serveWatch(
    ctx.ops.store,
    {
      resource: r,
      namespace: r.namespaced ? route.namespace : undefined,
      matches: selectors(r, q),
      resourceVersion: q.get('resourceVersion') ?? undefined,
      allowBookmarks: queryBool(q, 'allowWatchBookmarks'),
      sendInitialEvents: queryBool(q, 'sendInitialEvents'),
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      render: o =>
        table
          ? toTable(
              r.kind,
              [o],
              { resourceVersion: o.metadata.resourceVersion },
              q.get('includeObject'),
            )
          : o,
    },
    res,
    ctx.bookmarkMs,
    ctx.trackStream,
  );
}

async function scale(
  ctx: HandlerContext,
  r: ResourceType,
  namespace: string,
  name: string,
  req: IncomingMessage,
  method: string,
  dryRun: boolean,
  reply: Reply,
) {
  if (method === 'GET') return reply(200, ctx.ops.getScale(r, namespace, name));
  if (method === 'PUT') {
    const body = parseObjectBody(await readRaw(req), mediaType(req));
    return reply(
      200,
      ctx.ops.updateScale(r, namespace, name, () => body, { dryRun }),
    );
  }
  if (method === 'PATCH') {
    const type = mediaType(req);
    const body = parseJson(await readRaw(req));
    return reply(
      200,
      ctx.ops.updateScale(
        r,
        namespace,
        name,
        current => applyPatchBody(type, current, body),
        { dryRun },
      ),
    );
  }
  throw methodNotAllowed(method);
}

function deleteOptions(
  raw: string,
  q: URLSearchParams,
  dryRun: boolean,
): DeleteOptions {
  const body: any = raw.trim() ? parseJson(raw) : {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('DeleteOptions must be an object');
  const graceParam = q.get('gracePeriodSeconds');
  const grace =
    body.gracePeriodSeconds ??
    (graceParam === null ? undefined : Number(graceParam));
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw badRequest(`invalid gracePeriodSeconds: ${grace}`);
  }
  const policy =
    body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (
    policy !== undefined &&
    !['Background', 'Foreground', 'Orphan'].includes(policy)
  ) {
    throw badRequest(`unsupported propagationPolicy: "${policy}"`);
  }
  if (body.orphanDependents === true && policy === undefined) {
    return {
      gracePeriodSeconds: grace,
      propagationPolicy: 'Orphan',
      preconditions: body.preconditions,
      dryRun,
    };
  }
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: policy,
    preconditions: body.preconditions,
    dryRun:
      dryRun || (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
  };
}
