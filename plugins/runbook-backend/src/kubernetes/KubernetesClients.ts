import {
  ApiConstructor,
  ApiException,
  ApiType,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  Middleware,
  ServerConfiguration,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  Metrics,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
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

/** Aborts each API call that has no answer after `ms`. */
const timeoutAfter = (ms: number): Middleware => ({
  pre: async context => {
    context.setSignal(AbortSignal.timeout(ms));
    return context;
  },
  post: async context => context,
});

/**
 * A KubeConfig whose requests give up after `timeoutMs`: API calls are aborted, and
 * watches (and metrics.k8s.io reads) fail when their answer does not start in time.
 */
class TimedKubeConfig extends KubeConfig {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override applyToFetchOptions(
    opts: Parameters<KubeConfig['applyToFetchOptions']>[0],
  ) {
    // node-fetch's `timeout` ends at the response's headers: a watch then streams on.
    return super.applyToFetchOptions({ timeout: this.timeoutMs, ...opts });
  }

  override makeApiClient<T extends ApiType>(Api: ApiConstructor<T>): T {
    // As KubeConfig's own, plus the timeout.
    return new Api(
      createConfiguration({
        baseServer: new ServerConfiguration(
          this.getCurrentCluster()!.server,
          {},
        ),
        authMethods: { default: this },
        promiseMiddleware: [timeoutAfter(this.timeoutMs)],
      }),
    );
  }
}

/**
 * A client configuration for one cluster of Backstage's `kubernetes` config. With
 * `timeoutMs`, a watch whose cluster does not answer within it fails instead of waiting.
 */
export function kubeConfigFor(
  cluster: ClusterDetails,
  options: { timeoutMs?: number } = {},
): KubeConfig {
  const kc = options.timeoutMs
    ? new TimedKubeConfig(options.timeoutMs)
    : new KubeConfig();
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

/**
 * One client set per configured cluster, built on first use. Each call gives up after
 * `timeoutMs`, so that a cluster that hangs fails what acts on it and nothing else.
 */
export class KubernetesClients {
  readonly #clients = new Map<string, ClusterClients>();

  constructor(
    private readonly clusters: ClusterDetails[],
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  /**
   * A call to `cluster` that got no answer in time or no connection as a 503 naming the
   * cluster; any other error as it is.
   */
  unreachable(cluster: string, error: unknown): unknown {
    return isUnreachable(error)
      ? new ServiceUnavailableError(
          `Cluster ${cluster} could not be reached: ${failureMessage(
            error,
            this.options.timeoutMs ?? 0,
          )}`,
        )
      : error;
  }

  for(clusterName: string): ClusterClients {
    let clients = this.#clients.get(clusterName);
    if (!clients) {
      const cluster = this.clusters.find(c => c.name === clusterName);
      if (!cluster)
        throw new NotFoundError(
          `No cluster named ${clusterName} in the kubernetes config`,
        );
      const kc = kubeConfigFor(cluster, this.options);
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

/**
 * A failed call in words, short and without the request's URL or credentials; a call
 * that got no answer within `timeoutMs`, or no connection, says so.
 */
export function failureMessage(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    type?: string;
    code?: string;
    message?: string;
  };
  if (
    e?.name === 'AbortError' ||
    e?.name === 'TimeoutError' ||
    e?.type === 'request-timeout'
  ) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const code = e?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ENOTFOUND') return 'host not found';
  return apiErrorMessage(error);
}

/** Whether a call failed for want of an answer or a connection, not by the API's word. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof ApiException) return false;
  const message = failureMessage(error, 0);
  return (
    message.startsWith('no answer') ||
    ['connection refused', 'connection reset', 'host not found'].includes(
      message,
    )
  );
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
