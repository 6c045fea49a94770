import { ObjectStore } from '../store/ObjectStore';
import { serviceOf } from './containerRestarts';
import { FaultRegistry } from './FaultRegistry';

/** What the rest of the cluster must do when faults come and go. */
export interface FaultReactions {
  enqueue(controller: string, key: string): void;
  /** Ends open watch streams. */
  closeStreams(): void;
}

/**
 * Wakes the controllers a fault change concerns: a service's pods when it goes down or
 * comes back, pods stuck pulling when a never-ready image is cleared; a new watch-cut
 * fault cuts the streams already open.
 */
export function reactToFaults(
  faults: FaultRegistry,
  store: ObjectStore,
  react: FaultReactions,
) {
  return faults.onChange((fault, change) => {
    if (fault.kind === 'down') {
      for (const pod of store.select(
        '/pods',
        fault.namespace,
        p => serviceOf(p) === fault.service,
      ))
        react.enqueue(
          'fault-crash-loop',
          `${pod.metadata.namespace}/${pod.metadata.name}`,
        );
    }
    if (fault.kind === 'never-ready' && change === 'removed') {
      for (const pod of store.select(
        '/pods',
        undefined,
        p => p.status?.phase === 'Pending' && Boolean(p.status?.startTime),
      ))
        react.enqueue(
          'pod-lifecycle',
          `${pod.metadata.namespace}/${pod.metadata.name}`,
        );
    }
    if (fault.kind === 'watch-cut' && change === 'added') react.closeStreams();
  });
}
