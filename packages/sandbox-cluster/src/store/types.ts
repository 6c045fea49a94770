/** Kubernetes object metadata, as much of it as the sandbox models. */
export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** Links a dependent to its owner; `controller: true` marks the managing owner. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * Any stored object. Kind-specific fields stay loosely typed: objects arrive from
 * arbitrary clients and are validated field by field, not trusted by type.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: any;
}

/** What a change did; matches the watch event types of the Kubernetes API. */
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change, kept in the watch history window. */
export interface ChangeEvent {
  type: ChangeType;
  /** Resource key, e.g. `apps/deployments` or `/pods` for the core group. */
  resource: string;
  resourceVersion: number;
  object: KubeObject;
  /** The object before the change (absent for ADDED); watch filters need it. */
  previous?: KubeObject;
}
