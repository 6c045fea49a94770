import { ApiError } from '../api/errors';
import { ApiOperations } from '../api/operations';
import { resourceByKind, resourceKey } from '../api/resources';
import { parseLabelSelector } from '../api/selectors';
import { PodUsageSource, podMetrics } from '../metrics/podMetrics';

const PODS = resourceKey(resourceByKind('Pod'));

/**
 * `metrics.k8s.io/v1beta1` pods: usage of running pods, computed on each read like
 * metrics-server answers (the Backstage plugin and `kubectl top pods` ask for it).
 */
export function podMetricsReply(
  ops: ApiOperations,
  usage: PodUsageSource,
  method: string,
  namespace: string | undefined,
  name: string | undefined,
  labelSelector: string | null,
) {
  if (method !== 'GET') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  if (name !== undefined) {
    const pod = ops.store.get(PODS, namespace ?? '', name);
    const metrics = pod && podMetrics(pod, usage);
    if (!metrics)
      throw new ApiError(
        404,
        'NotFound',
        `podmetrics.metrics.k8s.io "${name}" not found`,
      );
    return metrics;
  }
  const selector = parseLabelSelector(labelSelector ?? undefined);
  const items = ops.store
    .select(PODS, namespace, pod => selector.matches(pod.metadata.labels))
    .map(pod => podMetrics(pod, usage))
    .filter(Boolean);
  return {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items,
  };
}
