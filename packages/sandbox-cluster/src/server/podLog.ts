import { badRequest } from '../api/errors';
import { ApiOperations } from '../api/operations';
import { resourceByKind } from '../api/resources';
import { PodLogs } from '../controllers/PodLogs';
import { queryBool } from './queryBool';

const PODS = resourceByKind('Pod');

/**
 * `GET .../pods/<name>/log`: what the container wrote so far. A container that has not
 * started (e.g. ImagePullBackOff) has no log yet, as kubectl reports.
 */
export function podLog(
  ops: ApiOperations,
  logs: PodLogs,
  namespace: string,
  name: string,
  q: URLSearchParams,
) {
  const pod = ops.get(PODS, namespace, name);
  const containers: string[] = (pod.spec?.containers ?? []).map(
    (c: any) => c.name,
  );
  const container =
    q.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
  if (!container) {
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(
        ' ',
      )}]`,
    );
  }
  if (!containers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const status = (pod.status?.containerStatuses ?? []).find(
    (s: any) => s.name === container,
  );
  // A container waiting to restart (CrashLoopBackOff) still has its last run's log.
  if (
    !status?.state?.running &&
    !status?.state?.terminated &&
    !status?.lastState?.terminated
  ) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    throw badRequest(
      `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
    );
  }
  const num = (k: string) => {
    const value = q.get(k);
    if (value === null) return undefined;
    if (!/^\d+$/.test(value)) throw badRequest(`invalid ${k}: ${value}`);
    return Number(value);
  };
  return logs.read(pod, container, {
    tailLines: num('tailLines'),
    sinceSeconds: num('sinceSeconds'),
    timestamps: queryBool(q, 'timestamps'),
  });
}
