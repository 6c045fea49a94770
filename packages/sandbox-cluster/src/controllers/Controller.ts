import { ApiOperations } from '../api/operations';
import { ObjectStore } from '../store/ObjectStore';
import { ChangeEvent } from '../store/types';
import { SandboxTimings } from '../timings';
import { EventRecorder } from './EventRecorder';
import { ImagePolicy } from './ImagePolicy';
import { PodLogs } from './PodLogs';
import { Timers } from './Timers';

/** What every controller gets to work with. */
export interface ControllerContext {
  ops: ApiOperations;
  store: ObjectStore;
  timings: SandboxTimings;
  events: EventRecorder;
  timers: Timers;
  images: ImagePolicy;
  logs: PodLogs;
  /** Queues `namespace/name` for the named controller's next pass. */
  enqueue(controller: string, key: string, afterMs?: number): void;
}

/**
 * A reconcile loop, as in kube-controller-manager: `keysFor` maps a store change to the
 * keys (`namespace/name`) it should look at again, `reconcile` converges one key.
 * Reconciles run outside the store's change notification, one key at a time.
 */
export interface Controller {
  readonly name: string;
  keysFor(event: ChangeEvent): string[];
  reconcile(key: string): void;
}
