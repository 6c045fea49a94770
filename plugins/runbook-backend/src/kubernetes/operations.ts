import type { ClusterClients } from './KubernetesClients';
import { isNotFound, patchAs } from './KubernetesClients';

/** Kinds the runbook changes. */
export type ObjectKind =
  | 'Deployment'
  | 'Service'
  | 'HorizontalPodAutoscaler'
  | 'Pod';

/**
 * One change to one object. Plans are lists of these, so that the same description
 * drives the change, its dry-run and (stored with the run) its undo.
 */
export type Operation =
  | {
      type: 'patch';
      kind: ObjectKind;
      name: string;
      strategy: 'merge' | 'strategic' | 'json';
      patch: unknown;
    }
  | {
      type: 'create';
      kind: ObjectKind;
      name: string;
      body: Record<string, any>;
    }
  | {
      type: 'replace';
      kind: ObjectKind;
      name: string;
      body: Record<string, any>;
    }
  | {
      type: 'delete';
      kind: ObjectKind;
      name: string;
      /** For pods: seconds between SIGTERM and SIGKILL instead of the pod's own. */
      gracePeriodSeconds?: number;
    };

type Api = {
  read(name: string, namespace: string): Promise<any>;
  patch(
    name: string,
    namespace: string,
    body: unknown,
    dryRun: string | undefined,
    strategy: 'merge' | 'strategic' | 'json',
  ): Promise<any>;
  create(namespace: string, body: any, dryRun?: string): Promise<any>;
  replace(
    name: string,
    namespace: string,
    body: any,
    dryRun?: string,
  ): Promise<any>;
  delete(
    name: string,
    namespace: string,
    dryRun?: string,
    gracePeriodSeconds?: number,
  ): Promise<any>;
};

function apiFor(c: ClusterClients, kind: ObjectKind): Api {
  switch (kind) {
    case 'Deployment':
      return {
        read: (name, namespace) =>
          c.apps.readNamespacedDeployment({ name, namespace }),
        patch: (name, namespace, body, dryRun, s) =>
          c.apps.patchNamespacedDeployment(
            { name, namespace, body, dryRun },
            patchAs(s),
          ),
        create: (namespace, body, dryRun) =>
          c.apps.createNamespacedDeployment({ namespace, body, dryRun }),
        replace: (name, namespace, body, dryRun) =>
          c.apps.replaceNamespacedDeployment({ name, namespace, body, dryRun }),
        delete: (name, namespace, dryRun) =>
          c.apps.deleteNamespacedDeployment({ name, namespace, dryRun }),
      };
    case 'Service':
      return {
        read: (name, namespace) =>
          c.core.readNamespacedService({ name, namespace }),
        patch: (name, namespace, body, dryRun, s) =>
          c.core.patchNamespacedService(
            { name, namespace, body, dryRun },
            patchAs(s),
          ),
        create: (namespace, body, dryRun) =>
          c.core.createNamespacedService({ namespace, body, dryRun }),
        replace: (name, namespace, body, dryRun) =>
          c.core.replaceNamespacedService({ name, namespace, body, dryRun }),
        delete: (name, namespace, dryRun) =>
          c.core.deleteNamespacedService({ name, namespace, dryRun }),
      };
    case 'HorizontalPodAutoscaler':
      return {
        read: (name, namespace) =>
          c.autoscaling.readNamespacedHorizontalPodAutoscaler({
            name,
            namespace,
          }),
        patch: (name, namespace, body, dryRun, s) =>
          c.autoscaling.patchNamespacedHorizontalPodAutoscaler(
            { name, namespace, body, dryRun },
            patchAs(s),
          ),
        create: (namespace, body, dryRun) =>
          c.autoscaling.createNamespacedHorizontalPodAutoscaler({
            namespace,
            body,
            dryRun,
          }),
        replace: (name, namespace, body, dryRun) =>
          c.autoscaling.replaceNamespacedHorizontalPodAutoscaler({
            name,
            namespace,
            body,
            dryRun,
          }),
        delete: (name, namespace, dryRun) =>
          c.autoscaling.deleteNamespacedHorizontalPodAutoscaler({
            name,
            namespace,
            dryRun,
          }),
      };
    case 'Pod':
      return {
        read: (name, namespace) =>
          c.core.readNamespacedPod({ name, namespace }),
        patch: (name, namespace, body, dryRun, s) =>
          c.core.patchNamespacedPod(
            { name, namespace, body, dryRun },
            patchAs(s),
          ),
        create: (namespace, body, dryRun) =>
          c.core.createNamespacedPod({ namespace, body, dryRun }),
        replace: (name, namespace, body, dryRun) =>
          c.core.replaceNamespacedPod({ name, namespace, body, dryRun }),
        delete: (name, namespace, dryRun, gracePeriodSeconds) =>
          c.core.deleteNamespacedPod({
            name,
            namespace,
            dryRun,
            gracePeriodSeconds,
          }),
      };
    default:
      throw new Error(`Unsupported kind ${kind}`);
  }
}

/** Reads an object, or undefined when it does not exist. */
export async function readObject(
  c: ClusterClients,
  namespace: string,
  kind: ObjectKind,
  name: string,
): Promise<any | undefined> {
  try {
    return await apiFor(c, kind).read(name, namespace);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Carries out one operation; with `dryRun` the API server only validates and answers
 * with the object as it would be. Idempotent where undo needs it: deleting what is gone
 * and creating what exists (then replacing it) both succeed.
 */
export async function runOperation(
  c: ClusterClients,
  namespace: string,
  op: Operation,
  dryRun = false,
): Promise<any | undefined> {
  const api = apiFor(c, op.kind);
  const dry = dryRun ? 'All' : undefined;
  switch (op.type) {
    case 'patch':
      return api.patch(op.name, namespace, op.patch, dry, op.strategy);
    case 'create':
    case 'replace': {
      const existing = await readObject(c, namespace, op.kind, op.name);
      const body = { ...op.body, metadata: { ...op.body.metadata, namespace } };
      if (!existing) return api.create(namespace, body, dry);
      body.metadata.resourceVersion = existing.metadata?.resourceVersion;
      return api.replace(op.name, namespace, body, dry);
    }
    case 'delete':
      try {
        await api.delete(op.name, namespace, dry, op.gracePeriodSeconds);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return undefined;
    default:
      throw new Error('Unknown operation');
  }
}
