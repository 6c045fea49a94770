import { ServerResponse } from 'node:http';
import { gone } from '../api/errors';
import { ResourceType, apiVersionOf, resourceKey } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import { ChangeEvent, KubeObject } from '../store/types';

/** Parameters of one watch request. */
export interface WatchRequest {
  resource: ResourceType;
  namespace?: string;
  matches(object: KubeObject): boolean;
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Wraps each object for the wire, e.g. as a Table row. */
  render(object: KubeObject): unknown;
}

/**
 * Streams newline-delimited watch events. Without a resourceVersion (or "0") it starts
 * with ADDED for what exists now; with one it replays the history after it, or answers
 * an ERROR event with a 410 Expired Status when that history is gone. An object that
 * stops (starts) matching the selectors is reported as DELETED (ADDED), as the
 * apiserver does.
 */
export function serveWatch(
  store: ObjectStore,
  req: WatchRequest,
  res: ServerResponse,
  bookmarkMs: number,
  onClose: (close: () => void) => () => void,
) {
  const key = resourceKey(req.resource);
  const inScope = (o: KubeObject | undefined) =>
    o !== undefined &&
    (req.namespace === undefined || o.metadata.namespace === req.namespace) &&
    req.matches(o);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  // Clients wait for the headers before reading events; send them now.
  res.flushHeaders();
  const send = (type: string, object: unknown) =>
    res.write(`${JSON.stringify({ type, object })}\n`);
  const bookmark = (extra: Record<string, string> = {}) =>
    send('BOOKMARK', {
      kind: req.resource.kind,
      apiVersion: apiVersionOf(req.resource),
      metadata: {
        resourceVersion: String(store.currentResourceVersion()),
        ...(Object.keys(extra).length ? { annotations: extra } : {}),
      },
    });

  const forward = (e: ChangeEvent) => {
    if (e.resource !== key) return;
    const now = inScope(e.type === 'DELETED' ? undefined : e.object);
    const before = inScope(e.previous);
    if (now && before) send('MODIFIED', req.render(e.object));
    else if (now) send('ADDED', req.render(e.object));
    else if (before) send('DELETED', req.render(e.object));
  };

  const rv = req.resourceVersion;
  if (!rv || rv === '0' || req.sendInitialEvents) {
    for (const o of store.list(key, req.namespace).filter(inScope))
      send('ADDED', req.render(o));
    if (req.sendInitialEvents && req.allowBookmarks)
      bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const since = Number(rv);
    const replay = Number.isInteger(since)
      ? store.changesSince(since)
      : undefined;
    if (!replay) {
      send(
        'ERROR',
        gone(
          `too old resource version: ${rv} (${store.currentResourceVersion()})`,
        ).toStatus(),
      );
      res.end();
      return;
    }
    replay.forEach(forward);
  }

  const unsubscribe = store.subscribe(forward);
  const timers: NodeJS.Timeout[] = [];
  if (req.allowBookmarks)
    timers.push(setInterval(() => bookmark(), bookmarkMs));
  const finish = () => {
    unsubscribe();
    timers.forEach(t => clearInterval(t));
    if (!res.writableEnded) res.end();
  };
  if (req.timeoutSeconds)
    timers.push(setTimeout(finish, req.timeoutSeconds * 1000));
  const untrack = onClose(finish);
  res.on('close', () => {
    untrack();
    finish();
  });
}
