import { ChangeEvent, KubeObject } from './types';

type Listener = (event: ChangeEvent) => void;

const clone = <T>(value: T): T => structuredClone(value);

/**
 * The cluster's state: objects per resource and namespace, one global resourceVersion
 * counter (like etcd's revision), change listeners, and a bounded history of changes so
 * that watches can resume from a resourceVersion. Reads and writes copy, so no caller
 * can mutate stored state behind the store's back.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<Listener>();
  private readonly history: ChangeEvent[] = [];
  private revision = 1;
  /** Highest resourceVersion dropped from the history window. */
  private compactedRevision = 0;

  constructor(private readonly historySize: number) {}

  currentResourceVersion(): number {
    return this.revision;
  }

  get(resource: string, namespace: string, name: string) {
    const found = this.objects.get(resource)?.get(key(namespace, name));
    return found && clone(found);
  }

  /** Objects of a resource, optionally in one namespace, ordered by namespace and name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const all = this.objects.get(resource);
    if (!all) return [];
    const keys = [...all.keys()]
      .filter(k => namespace === undefined || k.startsWith(`${namespace}/`))
      .sort();
    return keys.map(k => clone(all.get(k)!));
  }

  /** Copies of the objects that match `predicate`, without copying the rest. */
  select(
    resource: string,
    namespace: string | undefined,
    predicate: (object: KubeObject) => boolean,
  ): KubeObject[] {
    const all = this.objects.get(resource);
    if (!all) return [];
    const out: KubeObject[] = [];
    for (const [k, object] of all) {
      if (namespace !== undefined && !k.startsWith(`${namespace}/`)) continue;
      if (predicate(object)) out.push(clone(object));
    }
    return out;
  }

  /** Stores a new object; the caller has checked it does not exist. */
  create(resource: string, object: KubeObject): KubeObject {
    return this.commit('ADDED', resource, object);
  }

  /** Replaces an existing object; the caller has done precondition checks. */
  update(resource: string, object: KubeObject, previous: KubeObject) {
    return this.commit('MODIFIED', resource, object, previous);
  }

  remove(resource: string, object: KubeObject): KubeObject {
    return this.commit('DELETED', resource, object, object);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Changes after `resourceVersion`, or `undefined` when some of them have already
   * left the history window (the watch must then answer 410 Gone).
   */
  changesSince(resourceVersion: number): ChangeEvent[] | undefined {
    if (resourceVersion < this.compactedRevision) return undefined;
    return this.history.filter(e => e.resourceVersion > resourceVersion);
  }

  private commit(
    type: ChangeEvent['type'],
    resource: string,
    object: KubeObject,
    previous?: KubeObject,
  ): KubeObject {
    const stored = clone(object);
    this.revision += 1;
    stored.metadata.resourceVersion = String(this.revision);
    let bucket = this.objects.get(resource);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(resource, bucket);
    }
    const k = key(stored.metadata.namespace ?? '', stored.metadata.name);
    if (type === 'DELETED') bucket.delete(k);
    else bucket.set(k, stored);

    const event: ChangeEvent = {
      type,
      resource,
      resourceVersion: this.revision,
      object: stored,
      previous,
    };
    this.history.push(event);
    while (this.history.length > this.historySize) {
      this.compactedRevision = this.history.shift()!.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
    return clone(stored);
  }
}

function key(namespace: string, name: string) {
  return `${namespace}/${name}`;
}
