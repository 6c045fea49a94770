import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
} from './errors';
import { applyDefaults } from './defaults';
import { DeleteOptions, planDeletion } from './deletion';
import { newUid, randomSuffix, timestamp } from './meta';
import { toScale } from './scale';
import {
  ResourceType,
  apiVersionOf,
  resourceByKind,
  resourceKey,
} from './resources';
import { checkShape } from './shape';
import { validateObject } from './validation';
import { applyPatchBody } from '../patch/applyPatch';
import { ObjectStore } from '../store/ObjectStore';
import { deepEqual } from '../store/deepEqual';
import { KubeObject } from '../store/types';

/** Options of a write, from query parameters or a DeleteOptions body. */
export interface WriteOptions {
  dryRun?: boolean;
}

const NAMESPACES = resourceByKind('Namespace');
const STRATEGIC_MERGE = 'application/strategic-merge-patch+json';

/**
 * The apiserver's registry layer: defaulting, validation, metadata bookkeeping,
 * optimistic concurrency, subresources and deletion semantics. The HTTP handlers and
 * the controllers both write through it, so both obey the same rules.
 */
export class ApiOperations {
  private nextClusterIp = 10;

  constructor(readonly store: ObjectStore) {}

  get(r: ResourceType, namespace: string, name: string): KubeObject {
    const found = this.store.get(resourceKey(r), namespace, name);
    if (!found) throw notFound(r.plural, r.group, name);
    return found;
  }

  list(r: ResourceType, namespace?: string) {
    return this.store.list(resourceKey(r), namespace);
  }

  create(
    r: ResourceType,
    namespace: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject {
    const object = this.checkBody(r, namespace, body);
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    }
    if (r.namespaced) this.checkNamespaceWritable(namespace);
    const name = object.metadata.name;
    if (name && this.store.get(resourceKey(r), namespace, name)) {
      throw alreadyExists(r.plural, r.group, name);
    }
    const meta = object.metadata;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = newUid();
    meta.creationTimestamp = timestamp();
    if (r.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    if (r.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    applyDefaults(object, () => this.allocateClusterIp());
    this.validate(r, object);
    if (opts.dryRun) return object;
    return this.store.create(resourceKey(r), object);
  }

  /** PUT on the object or its `status` subresource. */
  update(
    r: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): KubeObject {
    const incoming = this.checkBody(r, namespace, body);
    if (incoming.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const current = this.get(r, namespace, name);
    const sent = incoming.metadata.resourceVersion;
    if (sent && sent !== current.metadata.resourceVersion) {
      throw conflict(r.plural, r.group, name);
    }
    return this.replace(r, current, incoming, opts);
  }

  /** PATCH on the object or a subresource; the patch applies to the current state. */
  patch(
    r: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): KubeObject {
    if (r.custom && contentType === STRATEGIC_MERGE) {
      // Custom resources have no Go struct tags to merge by, so the apiserver refuses.
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
    const current = this.get(r, namespace, name);
    const patched = applyPatchBody(contentType, current, body);
    if (
      typeof patched !== 'object' ||
      patched === null ||
      Array.isArray(patched)
    ) {
      throw badRequest('the patch must leave an object');
    }
    checkShape(patched, r.kind, r.version);
    patched.metadata ??= {};
    const sent = patched.metadata?.resourceVersion;
    if (sent && sent !== current.metadata.resourceVersion) {
      throw conflict(r.plural, r.group, name);
    }
    return this.replace(r, current, patched as KubeObject, opts);
  }

  /**
   * Server-side apply, simplified: creates the object when it is missing, otherwise
   * merges the applied configuration into it with strategic-merge semantics (JSON merge
   * semantics for custom resources, whose lists are atomic by default). Field
   * ownership is not tracked, so fields dropped from the configuration stay.
   */
  apply(
    r: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions & { fieldManager?: string } = {},
  ): { object: KubeObject; created: boolean } {
    if (!opts.fieldManager) {
      throw invalid('PatchOptions', 'meta.k8s.io', '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: is required for apply patch',
          field: 'fieldManager',
        },
      ]);
    }
    const applied = this.checkBody(r, namespace, body);
    if (applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (!this.store.get(resourceKey(r), namespace, name)) {
      return {
        object: this.create(r, namespace, applied, opts),
        created: true,
      };
    }
    const { resourceVersion: _rv, ...metadata } = applied.metadata;
    const patch = { ...applied, metadata };
    return {
      object: this.patch(
        r,
        namespace,
        name,
        r.custom ? 'application/merge-patch+json' : STRATEGIC_MERGE,
        patch,
        opts,
      ),
      created: false,
    };
  }

  /** The `autoscaling/v1` Scale view of a workload. */
  getScale(r: ResourceType, namespace: string, name: string) {
    return toScale(this.get(r, namespace, name));
  }

  updateScale(
    r: ResourceType,
    namespace: string,
    name: string,
    change: (scale: ReturnType<typeof toScale>) => unknown,
    opts: WriteOptions = {},
  ) {
    const current = this.get(r, namespace, name);
    const scale = change(toScale(current)) as any;
    if (!scale || typeof scale !== 'object')
      throw badRequest('body must be a Scale object');
    const sent = scale.metadata?.resourceVersion;
    if (sent && sent !== current.metadata.resourceVersion) {
      throw conflict(r.plural, r.group, name);
    }
    const replicas = scale.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', 'autoscaling', name, [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(
            replicas,
          )}: must be greater than or equal to 0`,
          field: 'spec.replicas',
        },
      ]);
    }
    const next = structuredClone(current);
    next.spec.replicas = replicas;
    return toScale(this.replace(r, current, next, opts));
  }

  delete(
    r: ResourceType,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): KubeObject {
    const current = this.get(r, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (
      pre?.resourceVersion &&
      pre.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(r.plural, r.group, name);
    }
    if (opts.dryRun) return current;
    const key = resourceKey(r);
    const plan = planDeletion(r, current, opts);
    if (plan.action === 'remove') return this.store.remove(key, current);
    if (plan.action === 'mark')
      return this.store.update(key, plan.object, current);
    return current;
  }

  /**
   * Removes an object whose deletion is due: its grace period ended or its last
   * finalizer went. Used by controllers, not reachable over HTTP.
   */
  finalizeDeletion(r: ResourceType, object: KubeObject) {
    const current = this.store.get(
      resourceKey(r),
      object.metadata.namespace ?? '',
      object.metadata.name,
    );
    if (!current || current.metadata.uid !== object.metadata.uid) return;
    this.store.remove(resourceKey(r), current);
  }

  private replace(
    r: ResourceType,
    current: KubeObject,
    incoming: KubeObject,
    opts: WriteOptions & { subresource?: 'status' },
  ): KubeObject {
    const next = structuredClone(incoming);
    const meta = next.metadata;
    const old = current.metadata;
    if (meta.name !== old.name) throw badRequest('metadata.name is immutable');
    if (next.apiVersion !== current.apiVersion || next.kind !== current.kind) {
      throw badRequest(
        `apiVersion and kind cannot change (want ${current.apiVersion} ${current.kind})`,
      );
    }
    meta.namespace = old.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    meta.generation = old.generation;
    dropUndefined(meta);
    if (opts.subresource === 'status') {
      // The status subresource writes status only.
      const kept = structuredClone(current);
      kept.status = next.status;
      return this.commitReplace(r, current, kept, opts);
    }
    if (r.subresources.includes('status')) next.status = current.status;
    applyDefaults(next, () => this.allocateClusterIp());
    if (r.hasGeneration && specOf(next) !== specOf(current))
      meta.generation = (old.generation ?? 1) + 1;
    if (
      r.kind === 'Service' &&
      current.spec?.clusterIP &&
      next.spec?.clusterIP !== current.spec.clusterIP
    ) {
      throw invalid(r.kind, r.group, meta.name, [
        {
          reason: 'FieldValueInvalid',
          message: 'field is immutable',
          field: 'spec.clusterIP',
        },
      ]);
    }
    this.validate(r, next, current);
    return this.commitReplace(r, current, next, opts);
  }

  private commitReplace(
    r: ResourceType,
    current: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
  ) {
    if (opts.dryRun) return next;
    const key = resourceKey(r);
    if (
      next.metadata.deletionTimestamp &&
      !(next.metadata.finalizers ?? []).length
    ) {
      // A graceful pod deletion ends in the pod lifecycle controller, not here.
      const removable =
        r.kind !== 'Pod' || !next.metadata.deletionGracePeriodSeconds;
      if (removable) return this.store.remove(key, current);
    }
    const unchanged = deepEqual(
      { ...next, metadata: { ...next.metadata, resourceVersion: undefined } },
      {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined },
      },
    );
    // A no-op write keeps its resourceVersion and wakes no watcher, like the apiserver.
    if (unchanged) return current;
    return this.store.update(key, next, current);
  }

  private checkBody(
    r: ResourceType,
    namespace: string,
    body: unknown,
  ): KubeObject {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest(`the body of the request must be a ${r.kind} object`);
    }
    const object = structuredClone(body) as KubeObject;
    const apiVersion = apiVersionOf(r);
    object.apiVersion ??= apiVersion;
    object.kind ??= r.kind;
    if (object.apiVersion !== apiVersion || object.kind !== r.kind) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) and kind (${object.kind}) do not match the endpoint (${apiVersion} ${r.kind})`,
      );
    }
    checkShape(object, r.kind, r.version);
    object.metadata ??= {} as KubeObject['metadata'];
    if (
      r.namespaced &&
      object.metadata.namespace &&
      object.metadata.namespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    return object;
  }

  private checkNamespaceWritable(namespace: string) {
    const ns = this.store.get(resourceKey(NAMESPACES), '', namespace);
    if (!ns) throw notFound('namespaces', '', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private validate(r: ResourceType, object: KubeObject, old?: KubeObject) {
    const causes = validateObject(object, old);
    if (causes.length) {
      throw invalid(r.kind, r.group, object.metadata.name ?? '', causes);
    }
  }

  private allocateClusterIp() {
    const n = this.nextClusterIp++;
    return `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  }
}

/** Everything except metadata and status: what bumps `metadata.generation`. */
function specOf(object: KubeObject) {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

function dropUndefined(meta: object) {
  const record = meta as Record<string, unknown>;
  for (const k of Object.keys(record))
    if (record[k] === undefined) delete record[k];
}
