import { KubeObject } from '../store/types';
import {
  newReplicaSetTarget,
  oldReplicaSetTargets,
  resolveIntOrPercent,
  surgeAndUnavailable,
} from './rolloutMath';

const deployment = (
  replicas: number,
  maxSurge: unknown,
  maxUnavailable: unknown,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: {
    replicas,
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge, maxUnavailable },
    },
  },
});

const rs = (
  name: string,
  revision: number,
  replicas: number,
  available: number,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    annotations: { 'deployment.kubernetes.io/revision': String(revision) },
  },
  spec: { replicas },
  status: { availableReplicas: available },
});

describe('rollout math', () => {
  it('rounds surge up and unavailability down, and never lets both be zero', () => {
    expect(resolveIntOrPercent('25%', 10, true)).toBe(3);
    expect(resolveIntOrPercent('25%', 10, false)).toBe(2);
    expect(resolveIntOrPercent(4, 10, false)).toBe(4);
    expect(surgeAndUnavailable(deployment(2, '25%', '25%'))).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
    expect(surgeAndUnavailable(deployment(3, 0, 0))).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });

  it('scales the new ReplicaSet up only as far as the surge allows', () => {
    const d = deployment(4, 1, 0);
    expect(
      newReplicaSetTarget(d, rs('new', 2, 0, 0), [rs('old', 1, 4, 4)]),
    ).toBe(1);
    expect(
      newReplicaSetTarget(d, rs('new', 2, 1, 0), [rs('old', 1, 4, 4)]),
    ).toBe(1);
    expect(
      newReplicaSetTarget(d, rs('new', 2, 1, 1), [rs('old', 1, 3, 3)]),
    ).toBe(2);
    expect(
      newReplicaSetTarget(d, rs('new', 2, 0, 0), [rs('old', 1, 0, 0)]),
    ).toBe(4);
  });

  it('scales old ReplicaSets down within maxUnavailable, unhealthy pods and oldest sets first', () => {
    const d = deployment(4, 1, 1);
    // Nothing goes while the new pods are not available yet: 2 available of the 3 needed.
    const waiting = oldReplicaSetTargets(d, rs('new', 3, 2, 0), [
      rs('older', 1, 1, 0),
      rs('old', 2, 2, 2),
    ]);
    expect(Object.fromEntries(waiting)).toEqual({ older: 1, old: 2 });
    // New pods available: the unavailable old pod goes first, then one more above minAvailable.
    const moving = oldReplicaSetTargets(d, rs('new', 3, 2, 2), [
      rs('older', 1, 1, 0),
      rs('old', 2, 2, 2),
    ]);
    expect(Object.fromEntries(moving)).toEqual({ older: 0, old: 1 });
  });
});
