import { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from '../api/errors';
import { readRaw } from '../server/body';
import { TrafficModel } from '../traffic/TrafficModel';
import {
  FAULT_KINDS,
  FaultKind,
  FaultRegistry,
  FaultSpecError,
} from './FaultRegistry';

/** The sandbox's own admin endpoints live under this prefix, apart from `/api` and `/apis`. */
export const ADMIN_PREFIX = '/sandbox/';

type Reply = (status: number, body: unknown) => void;

/**
 * `/sandbox/faults`: GET lists, POST adds (a FaultSpec), DELETE `/sandbox/faults/<id>`
 * removes one, DELETE `/sandbox/faults[?service=&kind=]` removes matching ones.
 * `/sandbox/traffic`: PUT `{ service, factor, namespace? }` sets a load factor.
 */
export async function handleAdmin(
  faults: FaultRegistry,
  traffic: TrafficModel,
  req: IncomingMessage,
  url: URL,
  reply: Reply,
) {
  const method = req.method ?? 'GET';
  const [, , area, id, ...extra] = url.pathname.split('/');
  if (area === 'faults' && extra.length === 0) {
    if (id === undefined || id === '') {
      if (method === 'GET') return reply(200, { items: faults.list() });
      if (method === 'POST') {
        try {
          return reply(201, faults.add(await jsonBody(req)));
        } catch (error) {
          if (error instanceof FaultSpecError)
            throw new ApiError(
              400,
              'BadRequest',
              `${error.field}: ${error.message}`,
            );
          throw error;
        }
      }
      if (method === 'DELETE') {
        const kind = url.searchParams.get('kind') ?? undefined;
        if (kind && !FAULT_KINDS.includes(kind as FaultKind))
          throw badRequest(`kind: must be one of ${FAULT_KINDS.join(', ')}`);
        const removed = faults.clear({
          service: url.searchParams.get('service') ?? undefined,
          kind: kind as FaultKind | undefined,
        });
        return reply(200, { items: removed });
      }
    } else if (method === 'DELETE') {
      if (!faults.remove(id))
        throw new ApiError(404, 'NotFound', `fault "${id}" not found`);
      return reply(200, { id });
    }
    throw new ApiError(
      405,
      'MethodNotAllowed',
      `${method} is not allowed on ${url.pathname}`,
    );
  }
  if (area === 'traffic' && !id && method === 'PUT') {
    const body = await jsonBody(req);
    if (typeof body.service !== 'string' || !body.service)
      throw badRequest('service: must be a kubernetes-id');
    if (typeof body.factor !== 'number' || !(body.factor >= 0))
      throw badRequest('factor: must be a number >= 0');
    traffic.setLoadFactor(body.service, body.factor, body.namespace);
    return reply(200, body);
  }
  throw new ApiError(
    404,
    'NotFound',
    `no sandbox admin endpoint at ${url.pathname}`,
  );
}

async function jsonBody(req: IncomingMessage): Promise<any> {
  const raw = await readRaw(req);
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('the body must be JSON');
  }
}
