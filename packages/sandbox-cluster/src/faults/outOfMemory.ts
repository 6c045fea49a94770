import { ApiOperations } from '../api/operations';
import { PodLogs } from '../controllers/PodLogs';
import { PodTraffic } from '../traffic/TrafficModel';
import { restartContainers } from './containerRestarts';

/** The kernel kills a pod whose working set reached its limit; the kubelet restarts it. */
export function killOutOfMemory(
  ops: ApiOperations,
  logs: PodLogs,
  victim: PodTraffic,
) {
  const pod = ops.store.get('/pods', victim.namespace, victim.name);
  if (
    !pod ||
    pod.metadata.uid !== victim.uid ||
    pod.status?.phase !== 'Running'
  )
    return;
  for (const c of pod.spec.containers)
    logs.append(
      pod,
      c.name,
      'ERROR FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    );
  restartContainers(
    ops,
    pod,
    { reason: 'OOMKilled', exitCode: 137 },
    'running',
  );
}
