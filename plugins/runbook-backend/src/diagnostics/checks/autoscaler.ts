import {
  DiagnosticCheck,
  DiagnosticStatus,
} from '@nexus-cos/plugin-runbook-common';
import { deploymentName, readSnapshot } from '../../kubernetes/snapshot';
import { CheckContext } from './context';

/**
 * "Monitor Autoscaling" (`kubectl describe hpa`): current against target utilization,
 * whether it is at its maximum, and its conditions.
 */
export async function autoscalerCheck(
  ctx: CheckContext,
): Promise<DiagnosticCheck> {
  const { target } = ctx;
  const base = {
    id: 'autoscaler',
    entityRef: target.entityRef,
    title: 'Autoscaler',
  };
  const snapshot = await readSnapshot(ctx.cluster, target);
  const hpa = snapshot.hpa;
  if (!hpa) {
    return {
      ...base,
      status: 'ok',
      evidence: [
        `No HorizontalPodAutoscaler manages ${deploymentName(
          target.service,
          snapshot.liveColour,
        )}; its replicas are set by hand`,
      ],
    };
  }
  const spec = hpa.spec!;
  const cpu = spec.metrics?.find(m => m.resource?.name === 'cpu')?.resource
    ?.target.averageUtilization;
  const current = hpa.status?.currentMetrics?.find(
    m => m.resource?.name === 'cpu',
  )?.resource?.current.averageUtilization;
  const replicas = hpa.status?.currentReplicas ?? 0;
  const evidence = [
    `${hpa.metadata?.name}: ${replicas} replicas (min ${
      spec.minReplicas ?? 1
    }, max ${spec.maxReplicas}), CPU ${current ?? '?'}% against a target of ${
      cpu ?? '?'
    }%`,
  ];
  let status: DiagnosticStatus = 'ok';
  if (replicas >= spec.maxReplicas && (current ?? 0) > (cpu ?? 100)) {
    status = 'warn';
    evidence.push(
      'At its maximum and still above its target: it cannot add capacity',
    );
  }
  for (const condition of hpa.status?.conditions ?? []) {
    const broken =
      (condition.type === 'AbleToScale' ||
        condition.type === 'ScalingActive') &&
      condition.status === 'False';
    const limited =
      condition.type === 'ScalingLimited' && condition.status === 'True';
    if (broken) status = 'fail';
    else if (limited && status === 'ok') status = 'warn';
    if (broken || limited) {
      evidence.push(
        `${condition.type}=${condition.status}: ${condition.reason}${
          condition.message ? ` (${condition.message})` : ''
        }`,
      );
    }
  }
  return {
    ...base,
    status,
    evidence,
    ...(status === 'ok'
      ? {}
      : {
          troubleshooting: {
            title: 'Auto-Scaling',
            steps: [
              {
                title: 'Monitor autoscaling',
                command: `kubectl describe hpa ${hpa.metadata?.name} -n ${target.namespace}`,
              },
              { title: 'Raise maxReplicas if the service needs more capacity' },
            ],
            fixAction: 'configure-autoscaling' as const,
          },
        }),
  };
}
