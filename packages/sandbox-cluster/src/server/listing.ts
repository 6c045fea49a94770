import { IncomingMessage } from 'node:http';
import { badRequest } from '../api/errors';
import { objectKey } from '../api/meta';
import { ApiOperations } from '../api/operations';
import { ResourceType, apiVersionOf, resourceKey } from '../api/resources';
import { parseFieldSelector, parseLabelSelector } from '../api/selectors';
import { KubeObject } from '../store/types';
import { toTable, wantsTable } from './tables';

/** Label and field selectors of a list or watch request as one predicate. */
export function selectors(r: ResourceType, q: URLSearchParams) {
  const labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(q.get('fieldSelector') ?? undefined, r);
  return (o: KubeObject) => labels.matches(o.metadata.labels) && fields(o);
}

/** One object, or a one-row Table when the client asked for Tables. */
export function renderOne(
  req: IncomingMessage,
  q: URLSearchParams,
  r: ResourceType,
  object: KubeObject,
) {
  if (!wantsTable(req.headers.accept)) return object;
  return toTable(
    r.kind,
    [object],
    { resourceVersion: object.metadata.resourceVersion },
    q.get('includeObject'),
  );
}

interface ContinueToken {
  rv: string;
  after: string;
}

/** Lists with selectors and `limit`/`continue` paging (continue resumes after the last key). */
export function list(
  ops: ApiOperations,
  r: ResourceType,
  namespace: string | undefined,
  req: IncomingMessage,
  q: URLSearchParams,
) {
  const matches = selectors(r, q);
  const rv = String(ops.store.currentResourceVersion());
  // Copy only the matching objects: lists by label are the common case.
  let items = ops.store
    .select(resourceKey(r), namespace, matches)
    .sort((a, b) => (objectKey(a) < objectKey(b) ? -1 : 1));
  const token = q.get('continue');
  let listRv = rv;
  if (token) {
    const parsed = decodeContinue(token);
    listRv = parsed.rv;
    items = items.filter(o => objectKey(o) > parsed.after);
  }
  const limit = Number(q.get('limit') ?? 0);
  if (!Number.isInteger(limit) || limit < 0)
    throw badRequest(`invalid limit: ${q.get('limit')}`);
  const meta: Record<string, unknown> = { resourceVersion: listRv };
  if (limit > 0 && items.length > limit) {
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    meta.continue = Buffer.from(
      JSON.stringify({ rv: listRv, after: objectKey(items[items.length - 1]) }),
    ).toString('base64url');
  }
  if (wantsTable(req.headers.accept))
    return toTable(r.kind, items, meta, q.get('includeObject'));
  return {
    kind: `${r.kind}List`,
    apiVersion: apiVersionOf(r),
    metadata: meta,
    items,
  };
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.rv === 'string' && typeof parsed.after === 'string')
      return parsed;
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion',
  );
}
