import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Metrics,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { NotFoundError } from '@backstage/errors';
import type { ClusterDetails } from './clusters';

/** The API groups the executor talks to, for one cluster. */
export type ClusterClients = {
  apps: AppsV1Api;
  core: CoreV1Api;
  autoscaling: AutoscalingV2Api;
  /** `metrics.k8s.io`: what `kubectl top` reads. */
  metrics: Metrics;
  /** cert-manager and trivy-operator resources. */
  custom: CustomObjectsApi;
  rbac: RbacAuthorizationV1Api;
  networking: NetworkingV1Api;
};

/** A client configuration for one cluster of Backstage's `kubernetes` config. */
export function kubeConfigFor(cluster: ClusterDetails): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: cluster.url,
      skipTLSVerify: cluster.skipTLSVerify,
      caData: cluster.caData,
    },
    { name: 'runbook', token: cluster.serviceAccountToken },
  );
  return kc;
}

/** One client set per configured cluster, built on first use. */
export class KubernetesClients {
  readonly #clients = new Map<string, ClusterClients>();

  constructor(private readonly clusters: ClusterDetails[]) {}

  for(clusterName: string): ClusterClients {
    let clients = this.#clients.get(clusterName);
    if (!clients) {
      const cluster = this.clusters.find(c => c.name === clusterName);
      if (!cluster)
        throw new NotFoundError(
          `No cluster named ${clusterName} in the kubernetes config`,
        );
      const kc = kubeConfigFor(cluster);
      clients = {
        apps: kc.makeApiClient(AppsV1Api),
        core: kc.makeApiClient(CoreV1Api),
        autoscaling: kc.makeApiClient(AutoscalingV2Api),
        metrics: new Metrics(kc),
        custom: kc.makeApiClient(CustomObjectsApi),
        rbac: kc.makeApiClient(RbacAuthorizationV1Api),
        networking: kc.makeApiClient(NetworkingV1Api),
      };
      this.#clients.set(clusterName, clients);
    }
    return clients;
  }
}

/** Request options that send a patch with the given strategy. */
export const patchAs = (strategy: 'merge' | 'strategic' | 'json') =>
  setHeaderOptions(
    'Content-Type',
    {
      merge: PatchStrategy.MergePatch,
      strategic: PatchStrategy.StrategicMergePatch,
      json: PatchStrategy.JsonPatch,
    }[strategy],
  );

/** Whether an API call failed because the object does not exist. */
export const isNotFound = (error: unknown) =>
  error instanceof ApiException && error.code === 404;

/** A short message for an API error, without the request's headers or credentials. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    let detail: string | undefined;
    try {
      detail = (
        typeof error.body === 'string' ? JSON.parse(error.body) : error.body
      )?.message;
    } catch {
      detail = undefined;
    }
    return `Kubernetes API answered ${error.code}${
      detail ? `: ${detail}` : ''
    }`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs API calls and turns their failures into short, credential-free messages. */
export async function withApiErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof ApiException
      ? new Error(apiErrorMessage(error))
      : error;
  }
}
