import { LoggerService } from '@backstage/backend-plugin-api';
import { Watch } from '@kubernetes/client-node';
import { failureMessage } from '../kubernetes/KubernetesClients';

/** An object kept by a {@link ListWatch}: `key` identifies it (namespace/name). */
export type Keyed = { key: string };

/** Why a watch ended. */
type WatchEnd = 'closed' | 'expired';

/** Why the cluster could not be read, and since when (epoch ms). */
export type ReadFailure = { message: string; since: number };

/**
 * Keeps a slim copy of one resource type of one cluster: list, then watch from the list's
 * resourceVersion; reconnect from the last seen resourceVersion (bookmarks included) with
 * exponential back-off on errors; re-list when the server answers 410 Gone. `maxItems`
 * bounds memory by evicting the oldest entries (for Events).
 *
 * A cluster that hangs or refuses is a `failure` until a list succeeds again: lists give
 * up after `requestTimeoutMs` (the watch's client does the same for its response), a
 * failed list or watch is retried with a fresh list, and a watch that hears nothing, not
 * even a bookmark, for `silenceMs` is reopened, so that a connection that went dead
 * without closing is noticed.
 */
export class ListWatch<T extends Keyed> {
  readonly items = new Map<string, T>();
  /** Moves on every change of `items`, so that readers can keep what they built from them. */
  version = 0;
  #resourceVersion?: string;
  #abort?: AbortController;
  /** The back-off wait and the silence check under way, which `stop` ends at once. */
  #sleeping?: { timer: NodeJS.Timeout; wake: () => void };
  #watchdog?: NodeJS.Timeout;
  #stopped = false;
  #synced = false;
  #lastContact?: number;
  #failure?: ReadFailure;
  #waiters: Array<() => void> = [];

  constructor(
    private readonly o: {
      name: string;
      path: string;
      labelSelector?: string;
      list: () => Promise<{ items: unknown[]; resourceVersion?: string }>;
      slim: (raw: any) => T;
      watch: Watch;
      logger: LoggerService;
      backoff: { initialMs: number; maxMs: number };
      /** Seconds after which the server ends a watch, as apiservers do; we resume it. */
      watchTimeoutSeconds: number;
      /** How long `list` may take before it is given up (it aborts itself then). */
      requestTimeoutMs: number;
      /** How long an open watch may hear nothing before it is reopened. */
      silenceMs: number;
      maxItems?: number;
    },
  ) {}

  /** Why the last list or watch failed, while no list has succeeded since. */
  get failure(): ReadFailure | undefined {
    return this.#failure;
  }

  get synced() {
    return this.#synced;
  }

  /** When the cluster was last heard from (list, event or bookmark). */
  get lastContact() {
    return this.#lastContact;
  }

  start() {
    void this.#run();
  }

  stop() {
    this.#stopped = true;
    this.#abort?.abort();
    clearInterval(this.#watchdog);
    if (this.#sleeping) {
      clearTimeout(this.#sleeping.timer);
      this.#sleeping.wake();
    }
  }

  /** Resolves once the first list has been stored. */
  whenSynced(): Promise<void> {
    return this.#synced
      ? Promise.resolve()
      : new Promise(resolve => this.#waiters.push(resolve));
  }

  async #run() {
    let backoff = this.o.backoff.initialMs;
    while (!this.#stopped) {
      try {
        if (!this.#resourceVersion) await this.#relist();
        const started = Date.now();
        const end = await this.#watchOnce();
        if (end === 'expired') {
          this.o.logger.info(
            `${this.o.name}: watch expired (410 Gone), listing again`,
          );
          this.#resourceVersion = undefined;
          backoff = this.o.backoff.initialMs;
        } else if (Date.now() - started < 1000 && !this.#stopped) {
          // A watch that ends at once is a server or network problem: do not spin.
          await this.#sleep(backoff);
          backoff = Math.min(backoff * 2, this.o.backoff.maxMs);
        } else {
          backoff = this.o.backoff.initialMs;
        }
      } catch (error) {
        if (this.#stopped) return;
        // Resume from scratch: the list that follows says whether the cluster is back.
        this.#resourceVersion = undefined;
        if ((error as { statusCode?: number }).statusCode === 410) continue;
        const message = failureMessage(error, this.o.requestTimeoutMs);
        this.#failure ??= { message, since: Date.now() };
        this.#failure.message = message;
        this.o.logger.warn(
          `${this.o.name}: ${message}; retrying in ${backoff} ms`,
        );
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.o.backoff.maxMs);
      }
    }
  }

  async #relist() {
    const { items, resourceVersion } = await this.o.list();
    const slim = items.map(this.o.slim);
    this.items.clear();
    for (const item of slim.slice(-(this.o.maxItems ?? slim.length))) {
      this.items.set(item.key, item);
    }
    this.version++;
    this.#resourceVersion = resourceVersion;
    this.#lastContact = Date.now();
    this.#failure = undefined;
    if (!this.#synced) {
      this.#synced = true;
      this.#waiters.splice(0).forEach(resolve => resolve());
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const wake = () => {
        this.#sleeping = undefined;
        resolve();
      };
      this.#sleeping = { timer: setTimeout(wake, ms), wake };
    });
  }

  #watchOnce(): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve, reject) => {
      let expired = false;
      // A dead connection that never closes: reopen it (from the same resourceVersion).
      const opened = Date.now();
      const watchdog = (this.#watchdog = setInterval(() => {
        const heard = Math.max(this.#lastContact ?? 0, opened);
        if (Date.now() - heard > this.o.silenceMs) {
          this.o.logger.info(
            `${this.o.name}: nothing heard for ${
              this.o.silenceMs / 1000
            } s, reopening the watch`,
          );
          this.#abort?.abort();
        }
      }, Math.max(100, Math.min(this.o.silenceMs / 4, 10_000))));
      this.o.watch
        .watch(
          this.o.path,
          {
            labelSelector: this.o.labelSelector,
            resourceVersion: this.#resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: this.o.watchTimeoutSeconds,
          },
          (type, object) => {
            this.#lastContact = Date.now();
            if (type === 'ERROR') {
              if (object?.code === 410) expired = true;
              this.#abort?.abort();
              return;
            }
            const version = object?.metadata?.resourceVersion;
            if (version) this.#resourceVersion = version;
            if (type === 'BOOKMARK') return;
            const item = this.o.slim(object);
            this.version++;
            if (type === 'DELETED') {
              this.items.delete(item.key);
            } else {
              this.items.delete(item.key);
              this.items.set(item.key, item);
              this.#evict();
            }
          },
          error => {
            clearInterval(watchdog);
            if (expired) resolve('expired');
            else if (
              error &&
              !this.#stopped &&
              (error as { name?: string }).name !== 'AbortError'
            )
              reject(error);
            else resolve('closed');
          },
        )
        .then(
          abort => {
            this.#abort = abort;
            if (this.#stopped) abort.abort();
          },
          error => {
            clearInterval(watchdog);
            reject(error);
          },
        );
    });
  }

  #evict() {
    const max = this.o.maxItems;
    if (max === undefined) return;
    for (const key of this.items.keys()) {
      if (this.items.size <= max) return;
      this.items.delete(key);
    }
  }
}
