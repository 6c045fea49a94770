import { badRequest } from '../api/errors';
import { ResourceType, findResource } from '../api/resources';

/** A path under a served resource. */
export interface ResourceRoute {
  type: 'resource';
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A request path resolved to what it addresses. */
export type Route =
  | { type: 'discovery'; path: string }
  | ResourceRoute
  | { type: 'unknown-resource'; group: string; version: string; plural: string }
  | { type: 'not-found' };

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed path segment: ${segment}`);
  }
}

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` into resource routes: either
 * `[namespaces/<ns>/]<plural>[/<name>[/<subresource>]]`; everything else is discovery.
 */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length > 2) {
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length > 3) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return { type: 'discovery', path: `/${parts.join('/')}` };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (extra.length) return { type: 'not-found' };
  const resource = findResource(group, version, plural);
  if (!resource) return { type: 'unknown-resource', group, version, plural };
  if (namespace !== undefined && !resource.namespaced)
    return { type: 'not-found' };
  return { type: 'resource', resource, namespace, name, subresource };
}
