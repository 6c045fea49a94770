import { selectorToString } from './selectors';
import { KubeObject } from '../store/types';

/** The `autoscaling/v1` Scale view of a workload, as its `scale` subresource serves it. */
export function toScale(object: KubeObject) {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: {
      replicas: object.status?.replicas ?? 0,
      selector: selectorToString(object.spec?.selector ?? {}),
    },
  };
}
