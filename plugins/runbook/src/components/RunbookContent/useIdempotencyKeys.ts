import { useMemo, useRef } from 'react';
import type { RunRequest } from '@nexus-cos/plugin-runbook-common';

type Request = RunRequest & { reason?: string };

const fingerprint = (entityRef: string, request: Request) =>
  JSON.stringify([entityRef, request]);

/**
 * Idempotency-Keys for run requests: one per distinct request until it gets its run. A
 * retry of the same request (Run clicked again after a network error, or the dialog
 * closed and the same form reviewed again) sends the same key, so a request that reached
 * the server despite the error returns its run instead of starting a second one. The
 * server keeps a key only with the run it started, so a refused request may reuse it.
 */
export function useIdempotencyKeys() {
  const keys = useRef(new Map<string, string>());
  return useMemo(
    () => ({
      keyFor(entityRef: string, request: Request): string {
        const id = fingerprint(entityRef, request);
        const key = keys.current.get(id) ?? crypto.randomUUID();
        keys.current.set(id, key);
        return key;
      },
      /** The request got its run: sending it again asks for another run. */
      settle(entityRef: string, request: Request) {
        keys.current.delete(fingerprint(entityRef, request));
      },
    }),
    [],
  );
}
