import { ApiOperations } from '../api/operations';
import { randomSuffix, timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { KubeObject } from '../store/types';

const EVENTS = resourceByKind('Event');

/**
 * Writes core/v1 Events about objects, the way components report what they did. A
 * repeat of the same reason and message on the same object bumps `count` instead of
 * adding a row, as the client-go event correlator does.
 */
export class EventRecorder {
  private readonly seen = new Map<string, string>();

  constructor(private readonly ops: ApiOperations) {}

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
    const existingName = this.seen.get(correlation);
    if (existingName) {
      const existing = this.ops.store.get('/events', namespace, existingName);
      if (existing) {
        existing.count = (existing.count ?? 1) + 1;
        existing.lastTimestamp = now;
        this.ops.update(EVENTS, namespace, existingName, existing);
        return;
      }
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
      this.seen.set(correlation, name);
    } catch {
      // The namespace is going away: events about its objects have nowhere to live.
    }
  }
}
