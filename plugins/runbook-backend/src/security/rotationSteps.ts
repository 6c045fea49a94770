import { createHash, randomInt, randomBytes } from 'node:crypto';
import type {
  V1Deployment,
  V1PodSpec,
  V1Secret,
} from '@kubernetes/client-node';
import type { ObjectDiff } from '@nexus-cos/plugin-runbook-common';
import type { ExecutorContext } from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from '../kubernetes/diff';
import {
  ClusterClients,
  isNotFound,
  patchAs,
  withApiErrors as api,
} from '../kubernetes/KubernetesClients';
import { holdReady, waitForRollout } from '../kubernetes/rollout';

/** When the portal last rotated a Secret; the overview's "not rotated within N days". */
export const ROTATED_AT_ANNOTATION = 'nexus-cos.io/rotated-at';
/** Marks the portal's own temporary Secrets, which no rotation may target. */
export const ROTATION_ROLE_LABEL = 'nexus-cos.io/rotation';
const ROTATION_OF = 'nexus-cos.io/rotation-of';
const ROTATION_RUN = 'nexus-cos.io/rotation-run';

/** Where the previous value waits while a rotation runs; deleted at its end. */
export const backupName = (secret: string) => `${secret}-rotation-backup`;
/** Longest Secret name whose backup name is still a valid name. */
export const MAX_ROTATED_SECRET_NAME = 253 - '-rotation-backup'.length;

/**
 * The pod-template annotation that rolls a Secret's consumers, as Reloader does: its
 * value is the Secret's resourceVersion after the change, nothing derived from the data.
 */
export function versionAnnotation(secret: string): string {
  const name =
    secret.length <= 63
      ? secret
      : `${secret.slice(0, 54)}-${createHash('sha256')
          .update(secret)
          .digest('hex')
          .slice(0, 8)}`;
  return `secret-version.nexus-cos.io/${name}`;
}

/** A crypto-random value of `length` characters from `alphabet`, without modulo bias. */
export function generateValue(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
export const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** Whether a pod spec reads the Secret: env, envFrom, volumes or projected volumes. */
export function usesSecret(
  spec: V1PodSpec | undefined,
  secret: string,
): boolean {
  if (!spec) return false;
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  return (
    containers.some(
      c =>
        (c.env ?? []).some(e => e.valueFrom?.secretKeyRef?.name === secret) ||
        (c.envFrom ?? []).some(e => e.secretRef?.name === secret),
    ) ||
    (spec.volumes ?? []).some(
      v =>
        v.secret?.secretName === secret ||
        (v.projected?.sources ?? []).some(s => s.secret?.name === secret),
    )
  );
}

/** A consumer and the value its version annotation had before (null: none). */
export type Consumer = { name: string; previous: string | null };

/** The Deployments of a namespace that read the Secret. */
export async function consumersOf(
  c: ClusterClients,
  namespace: string,
  secret: string,
): Promise<Array<Consumer & { deployment: V1Deployment }>> {
  const key = versionAnnotation(secret);
  const list = await api(() => c.apps.listNamespacedDeployment({ namespace }));
  return list.items
    .filter(d => usesSecret(d.spec?.template?.spec, secret))
    .map(d => ({
      name: d.metadata!.name!,
      previous: d.spec?.template?.metadata?.annotations?.[key] ?? null,
      deployment: d,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const templatePatch = (secret: string, value: string) => ({
  spec: {
    template: {
      metadata: { annotations: { [versionAnnotation(secret)]: value } },
    },
  },
});

/**
 * A JSON patch that sets (or, with null, removes) the version annotation, dropping the
 * annotations map when it ends up empty: the template is then exactly what it was, and
 * the Deployment goes back to its earlier ReplicaSet.
 */
function annotationPatch(
  deployment: V1Deployment,
  secret: string,
  value: string | null,
) {
  const current = deployment.spec?.template?.metadata?.annotations;
  const next = { ...current };
  if (value === null) delete next[versionAnnotation(secret)];
  else next[versionAnnotation(secret)] = value;
  const path = '/spec/template/metadata/annotations';
  if (Object.keys(next).length) return [{ op: 'add', path, value: next }];
  return current ? [{ op: 'remove', path }] : [];
}

/** Sets (or, with null, removes) each consumer's version annotation: a rollout each. */
export async function rollConsumers(
  c: ClusterClients,
  namespace: string,
  secret: string,
  consumers: Array<{ name: string; value: string | null }>,
  ctx: ExecutorContext,
): Promise<void> {
  for (const consumer of consumers) {
    await ctx.log(`Rolling Deployment ${consumer.name}`);
    const deployment = await api(() =>
      c.apps.readNamespacedDeployment({ name: consumer.name, namespace }),
    );
    const body = annotationPatch(deployment, secret, consumer.value);
    if (!body.length) continue;
    await api(() =>
      c.apps.patchNamespacedDeployment(
        { name: consumer.name, namespace, body },
        patchAs('json'),
      ),
    );
  }
}

/** The dry-run diffs of rolling the consumers. */
export async function consumerDiffs(
  c: ClusterClients,
  namespace: string,
  secret: string,
  consumers: Array<Consumer & { deployment: V1Deployment }>,
  value: string,
): Promise<ObjectDiff[]> {
  const diffs: ObjectDiff[] = [];
  for (const consumer of consumers) {
    const after = await api(() =>
      c.apps.patchNamespacedDeployment(
        {
          name: consumer.name,
          namespace,
          body: templatePatch(secret, value),
          dryRun: 'All',
        },
        patchAs('strategic'),
      ),
    );
    diffs.push(
      diffObjects(
        'Deployment',
        consumer.name,
        namespace,
        consumer.deployment,
        after,
      ),
    );
  }
  return diffs;
}

/**
 * Waits until every consumer has rolled out and, with a health window, stayed ready;
 * throws on the first that does not.
 */
export async function verifyConsumers(
  c: ClusterClients,
  namespace: string,
  names: string[],
  ctx: ExecutorContext,
  pollIntervalMs: number,
): Promise<void> {
  const wait = {
    signal: ctx.signal,
    pollIntervalMs,
    log: (m: string) => ctx.log(m),
  };
  for (const name of names) {
    await api(() =>
      waitForRollout(
        c,
        namespace,
        name,
        ctx.limits.rolloutTimeoutSeconds,
        wait,
      ),
    );
  }
  if (ctx.limits.healthWindowSeconds > 0) {
    for (const name of names) {
      await api(() =>
        holdReady(c, namespace, name, ctx.limits.healthWindowSeconds, wait),
      );
    }
  }
}

export async function readSecret(
  c: ClusterClients,
  namespace: string,
  name: string,
): Promise<V1Secret | undefined> {
  try {
    return await c.core.readNamespacedSecret({ name, namespace });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function deleteSecret(
  c: ClusterClients,
  namespace: string,
  name: string,
): Promise<void> {
  try {
    await c.core.deleteNamespacedSecret({ name, namespace });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * A Secret the portal made for itself (a staged value, a backup): built from nothing,
 * so it carries neither managedFields nor a last-applied annotation with a copy of
 * anything, and labelled so that no rotation can target it.
 */
export function ownSecret(options: {
  name: string;
  namespace: string;
  role: 'staged' | 'backup';
  of: string;
  runId?: string;
  data: Record<string, string>;
}): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { [ROTATION_ROLE_LABEL]: options.role },
      annotations: {
        [ROTATION_OF]: options.of,
        ...(options.runId ? { [ROTATION_RUN]: options.runId } : {}),
      },
    },
    data: Object.fromEntries(
      Object.entries(options.data).map(([k, v]) => [k, b64(v)]),
    ),
  };
}

/**
 * Keeps the previous value of `key` in `<secret>-rotation-backup` before anything
 * changes. A backup this run made already is kept (the step is repeatable); one of
 * another run means that rotation never finished, and this one stops.
 */
export async function createBackup(
  c: ClusterClients,
  namespace: string,
  secret: V1Secret,
  key: string,
  ctx: ExecutorContext,
): Promise<void> {
  const name = backupName(secret.metadata!.name!);
  const existing = await api(() => readSecret(c, namespace, name));
  if (existing) {
    if (existing.metadata?.annotations?.[ROTATION_RUN] === ctx.run?.id) return;
    throw new Error(
      `Secret ${name} exists: an earlier rotation of ${
        secret.metadata!.name
      } did not finish; delete it after checking the Secret`,
    );
  }
  const body = ownSecret({
    name,
    namespace,
    role: 'backup',
    of: secret.metadata!.name!,
    runId: ctx.run?.id,
    data: {},
  });
  body.data = { [key]: secret.data?.[key] ?? '' };
  await api(() => c.core.createNamespacedSecret({ namespace, body }));
  await ctx.log(`Kept the previous value in Secret ${name}`);
}

/** How long a staged value may wait before another staging of the Secret deletes it. */
const STAGED_VALUE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes staged values of `secret` that no run can still need: a backend that died
 * between staging and recording, or between recording and preparing, leaves one.
 */
export async function deleteStaleStagedValues(
  c: ClusterClients,
  namespace: string,
  secret: string,
  now = Date.now(),
): Promise<void> {
  const staged = await api(() =>
    c.core.listNamespacedSecret({
      namespace,
      labelSelector: `${ROTATION_ROLE_LABEL}=staged`,
    }),
  );
  for (const s of staged.items) {
    const created = s.metadata?.creationTimestamp;
    if (
      s.metadata?.annotations?.[ROTATION_OF] === secret &&
      created &&
      now - new Date(created).getTime() > STAGED_VALUE_LIFETIME_MS
    ) {
      await deleteSecret(c, namespace, s.metadata!.name!);
    }
  }
}

/** A fresh name for a staged value of `secret`. */
export const stagedName = (secret: string) =>
  `${secret}-rotation-staged-${randomBytes(3).toString('hex')}`;
