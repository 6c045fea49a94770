import type { ClusterClients } from './KubernetesClients';

/** Resolves after `ms`, or rejects with the signal's reason when it is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const counts = (d: any) => ({
  wanted: d.spec?.replicas ?? 1,
  ready: d.status?.readyReplicas ?? 0,
  updated: d.status?.updatedReplicas ?? 0,
  available: d.status?.availableReplicas ?? 0,
  total: d.status?.replicas ?? 0,
});

/** `kubectl rollout status`: the new template is fully rolled out and old pods are gone. */
export function rolloutComplete(d: any): boolean {
  const c = counts(d);
  return (
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    c.updated === c.wanted &&
    c.available === c.wanted &&
    c.total === c.wanted
  );
}

const progressDeadlineExceeded = (d: any) =>
  (d.status?.conditions ?? []).some(
    (c: any) =>
      c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );

export type WaitOptions = {
  signal: AbortSignal;
  pollIntervalMs: number;
  log(message: string): Promise<void>;
};

/** Waits for a Deployment's rollout; throws when it fails or exceeds `timeoutSeconds`. */
export async function waitForRollout(
  c: ClusterClients,
  namespace: string,
  name: string,
  timeoutSeconds: number,
  options: WaitOptions,
): Promise<any> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = '';
  for (;;) {
    const d = await c.apps.readNamespacedDeployment({ name, namespace });
    const n = counts(d);
    const progress = `${name}: ${n.updated}/${n.wanted} updated, ${n.ready}/${n.wanted} ready`;
    if (progress !== last) {
      await options.log(progress);
      last = progress;
    }
    if (rolloutComplete(d)) return d;
    if (progressDeadlineExceeded(d)) {
      throw new Error(`${name} exceeded its progress deadline (${progress})`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${name} did not finish rolling out within ${timeoutSeconds} s (${progress})`,
      );
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
}

/** Watches a Deployment for `seconds`; throws as soon as it has fewer ready replicas than wanted. */
export async function holdReady(
  c: ClusterClients,
  namespace: string,
  name: string,
  seconds: number,
  options: WaitOptions,
): Promise<any> {
  await options.log(`Watching ${name} for ${seconds} s`);
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const d = await c.apps.readNamespacedDeployment({ name, namespace });
    const n = counts(d);
    if (n.wanted === 0 || n.ready < n.wanted) {
      throw new Error(
        `${name} became unready while being watched (${n.ready}/${n.wanted} ready)`,
      );
    }
    if (Date.now() >= until) return d;
    await sleep(
      Math.min(options.pollIntervalMs, until - Date.now()),
      options.signal,
    );
  }
}

/**
 * Waits until no pod matches `labelSelector`, terminating ones included: a stopped
 * service's pods have finished their grace period and exited.
 */
export async function waitForPodsGone(
  c: ClusterClients,
  namespace: string,
  labelSelector: string,
  timeoutSeconds: number,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = -1;
  for (;;) {
    const pods = await c.core.listNamespacedPod({ namespace, labelSelector });
    const left = pods.items.length;
    if (left === 0) return;
    if (left !== last) {
      await options.log(`Waiting for ${left} pod(s) to shut down`);
      last = left;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${left} pod(s) were still shutting down after ${timeoutSeconds} s`,
      );
    }
    await sleep(options.pollIntervalMs, options.signal);
  }
}
