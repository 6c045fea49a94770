import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from 'node:http';
import { ApiError, badRequest } from '../api/errors';
import {
  apiGroupInfo,
  apiGroupList,
  apiResourceList,
  coreVersions,
  versionInfo,
} from './discovery';
import { HandlerContext, handleResource } from './resourceHandler';
import { openApiV3Document, openApiV3Index } from './openapi';
import { parseRoute } from './routes';
import { queryBool } from './queryBool';
import { ADMIN_PREFIX, handleAdmin } from '../faults/adminApi';
import { applyApiFaults, watchCutAfter } from '../faults/apiFaults';
import { FaultRegistry } from '../faults/FaultRegistry';
import { MetricsEndpoint } from '../metrics/exposition';
import { TrafficModel } from '../traffic/TrafficModel';

/** Who may call: no token means open; a read-only token may only get, list and watch. */
export interface AccessTokens {
  token?: string;
  readOnlyToken?: string;
}

export interface ApiServer {
  server: Server;
  /** Requests served so far (tests and benchmarks assert on load). */
  requestCount(): number;
  /** Ends open watch streams so the server can close. */
  closeStreams(): void;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/** The sandbox's own endpoints beside the Kubernetes API: `/metrics` and `/sandbox/*`. */
export interface SandboxEndpoints {
  faults: FaultRegistry;
  traffic: TrafficModel;
  metrics: MetricsEndpoint;
  /** Seeded numbers in [0, 1) that decide which requests API faults hit. */
  draw(): number;
}

/** The Kubernetes API over plain HTTP: discovery, OpenAPI, and every served resource. */
export function createApiServer(
  ctx: Omit<HandlerContext, 'trackStream'>,
  access: AccessTokens,
  sandbox: SandboxEndpoints,
  onError: (error: unknown) => void,
): ApiServer {
  let requests = 0;
  const streams = new Set<() => void>();
  const handlerContext: HandlerContext = {
    ...ctx,
    trackStream(close) {
      streams.add(close);
      return () => streams.delete(close);
    },
  };

  const server = createServer((req, res) => {
    requests += 1;
    serve(handlerContext, access, sandbox, req, res).catch(error => {
      const apiError =
        error instanceof ApiError ? error : internal(error, onError);
      if (res.headersSent) {
        res.end();
        return;
      }
      sendJson(res, apiError.code, apiError.toStatus());
    });
  });
  return {
    server,
    requestCount: () => requests,
    closeStreams: () => [...streams].forEach(close => close()),
  };
}

function internal(error: unknown, onError: (error: unknown) => void) {
  onError(error);
  return new ApiError(
    500,
    'InternalError',
    `an error on the server ("${
      (error as Error)?.message
    }") has prevented the request from succeeding`,
  );
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
) {
  const text =
    contentType === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function authorize(access: AccessTokens, req: IncomingMessage) {
  if (!access.token && !access.readOnlyToken) return;
  const header = req.headers.authorization ?? '';
  const presented = header.startsWith('Bearer ')
    ? header.slice(7).trim()
    : undefined;
  if (presented && presented === access.token) return;
  if (presented && presented === access.readOnlyToken) {
    if (READ_METHODS.has(req.method ?? 'GET')) return;
    throw new ApiError(
      403,
      'Forbidden',
      `the read-only token may not ${req.method} ${req.url}`,
    );
  }
  throw new ApiError(401, 'Unauthorized', 'Unauthorized');
}

async function serve(
  ctx: HandlerContext,
  access: AccessTokens,
  sandbox: SandboxEndpoints,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = parseUrl(req.url ?? '/');
  const reply = (status: number, body: unknown, contentType?: string) =>
    sendJson(res, status, body, contentType);
  if (['/healthz', '/livez', '/readyz'].includes(url.pathname))
    return reply(200, 'ok', 'text/plain');
  // Open like the health endpoints: Prometheus scrapes without the API's tokens.
  if (url.pathname === '/metrics' && req.method === 'GET')
    return reply(
      200,
      await sandbox.metrics.render(),
      sandbox.metrics.contentType,
    );
  authorize(access, req);
  if (url.pathname.startsWith(ADMIN_PREFIX))
    return handleAdmin(sandbox.faults, sandbox.traffic, req, url, reply);
  await applyApiFaults(sandbox.faults, req.method ?? 'GET', sandbox.draw);
  const cutAfter = watchCutAfter(sandbox.faults);
  if (cutAfter !== undefined && queryBool(url.searchParams, 'watch'))
    setTimeout(() => res.destroy(), cutAfter);
  const route = parseRoute(url.pathname);
  if (route.type === 'resource')
    return handleResource(ctx, route, req, res, url, reply);
  if (route.type === 'unknown-resource') {
    throw new ApiError(
      404,
      'NotFound',
      `the server could not find the requested resource (${route.plural}.${
        route.group || 'core'
      }/${route.version})`,
    );
  }
  if (route.type === 'discovery' && req.method === 'GET') {
    const body = discovery(route.path, req);
    if (body !== undefined) return reply(200, body);
  }
  throw new ApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

function discovery(path: string, req: IncomingMessage): unknown {
  if (path === '/version') return versionInfo();
  if (path === '/api') return coreVersions(req.headers.host ?? '127.0.0.1');
  if (path === '/apis') return apiGroupList();
  if (path === '/openapi/v3') return openApiV3Index();
  if (path.startsWith('/openapi/v3/'))
    return openApiV3Document(path.slice('/openapi/v3/'.length));
  const core = path.match(/^\/api\/(v1)$/);
  if (core) return apiResourceList('', core[1]);
  const group = path.match(/^\/apis\/([^/]+)$/);
  if (group) return apiGroupInfo(group[1]);
  const gv = path.match(/^\/apis\/([^/]+)\/([^/]+)$/);
  if (gv) return apiResourceList(gv[1], gv[2]);
  return undefined;
}

function parseUrl(raw: string) {
  try {
    return new URL(raw.replace(/^\/+/, '/'), 'http://sandbox');
  } catch {
    throw badRequest(`malformed request URL: ${raw}`);
  }
}
