import { ApiError } from '../api/errors';
import { ApiOperations } from '../api/operations';
import { randomSuffix, timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { KubeObject } from '../store/types';

const EVENTS = resourceByKind('Event');

/**
 * Writes core/v1 Events about objects, the way components report what they did. A
 * repeat of the same reason and message on the same object bumps `count` instead of
 * adding a row, as the client-go event correlator does. Only the newest `maxEvents`
 * are kept (the apiserver expires them after an hour instead).
 */
export class EventRecorder {
  /** Correlation key → event, oldest first. */
  private readonly seen = new Map<
    string,
    { namespace: string; name: string }
  >();

  constructor(
    private readonly ops: ApiOperations,
    private readonly maxEvents = 20000,
  ) {}

  record(
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
  ) {
    const namespace = object.metadata.namespace ?? 'default';
    const correlation = `${object.metadata.uid}|${type}|${reason}|${message}`;
    const now = timestamp();
    const known = this.seen.get(correlation);
    const existing =
      known && this.ops.store.get('/events', known.namespace, known.name);
    if (existing) {
      existing.count = (existing.count ?? 1) + 1;
      existing.lastTimestamp = now;
      this.ops.update(EVENTS, namespace, existing.metadata.name, existing);
      return;
    }
    const name = `${object.metadata.name}.${randomSuffix(8)}`;
    try {
      this.ops.create(EVENTS, namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        type,
        reason,
        message,
        source: { component, ...(host ? { host } : {}) },
        reportingComponent: component,
        reportingInstance: host ?? '',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch (error) {
      // A namespace that is gone or going away has no room for events about its objects.
      if (
        error instanceof ApiError &&
        (error.code === 403 || error.code === 404)
      )
        return;
      throw error;
    }
    this.seen.set(correlation, { namespace, name });
    this.expireOldest();
  }

  private expireOldest() {
    for (const [correlation, event] of this.seen) {
      if (this.seen.size <= this.maxEvents) return;
      this.seen.delete(correlation);
      if (this.ops.store.get('/events', event.namespace, event.name)) {
        this.ops.delete(EVENTS, event.namespace, event.name);
      }
    }
  }
}
