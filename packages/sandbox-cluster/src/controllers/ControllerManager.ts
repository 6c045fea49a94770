import { ChangeEvent } from '../store/types';
import { Controller, ControllerContext } from './Controller';

/**
 * Runs registered controllers: each store change is mapped to keys, keys are
 * de-duplicated in a per-controller queue and reconciled on the next turn of the
 * event loop. Later parts register more controllers (HPA, traffic) through `register`.
 */
export class ControllerManager {
  private readonly controllers = new Map<string, Controller>();
  private readonly queues = new Map<string, Set<string>>();
  private scheduled = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly context: Omit<ControllerContext, 'enqueue'>,
    private readonly onError: (
      controller: string,
      key: string,
      error: unknown,
    ) => void,
  ) {
    this.unsubscribe = context.store.subscribe(e => this.onChange(e));
  }

  /** The context handed to controllers, with `enqueue` bound to this manager. */
  get controllerContext(): ControllerContext {
    return { ...this.context, enqueue: (c, k, ms) => this.enqueue(c, k, ms) };
  }

  register(controller: Controller) {
    this.controllers.set(controller.name, controller);
    this.queues.set(controller.name, new Set());
  }

  enqueue(controller: string, key: string, afterMs = 0) {
    if (afterMs > 0) {
      this.context.timers.after(afterMs, () => this.enqueue(controller, key));
      return;
    }
    this.queues.get(controller)?.add(key);
    this.schedule();
  }

  stop() {
    this.stopped = true;
    this.unsubscribe();
  }

  private onChange(event: ChangeEvent) {
    for (const controller of this.controllers.values()) {
      for (const key of controller.keysFor(event)) {
        this.queues.get(controller.name)!.add(key);
      }
    }
    this.schedule();
  }

  private schedule() {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain() {
    this.scheduled = false;
    if (this.stopped) return;
    for (const [name, queue] of this.queues) {
      const keys = [...queue];
      queue.clear();
      const controller = this.controllers.get(name)!;
      for (const key of keys) {
        try {
          controller.reconcile(key);
        } catch (error) {
          this.onError(name, key, error);
          this.enqueue(name, key, this.context.timings.resyncMs);
        }
      }
    }
  }
}
