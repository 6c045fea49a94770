import { KubeObject } from '../store/types';
import { deploymentStatus } from './deploymentStatus';

const deployment = (status?: object): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', generation: 2 },
  spec: {
    replicas: 4,
    progressDeadlineSeconds: 60,
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 1 },
    },
  },
  status,
});

const rs = (
  name: string,
  spec: number,
  replicas: number,
  ready: number,
  available: number,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'ns' },
  spec: { replicas: spec },
  status: { replicas, readyReplicas: ready, availableReplicas: available },
});

const longAgo = '2020-01-01T00:00:00Z';
const progressing = (reason: string) => ({
  type: 'Progressing',
  status: 'True',
  reason,
  message: '',
  lastUpdateTime: longAgo,
  lastTransitionTime: longAgo,
});

describe('deploymentStatus', () => {
  it('sums ReplicaSets into the counts kubectl rollout status reads', () => {
    const { status, deadlineAt } = deploymentStatus(
      deployment(),
      [rs('new', 2, 2, 1, 1), rs('old', 3, 3, 3, 3)],
      'new',
      'syncing',
    );
    expect(status).toMatchObject({
      observedGeneration: 2,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 4,
      unavailableReplicas: 0,
    });
    expect(
      status.conditions.find((c: any) => c.type === 'Available'),
    ).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(
      status.conditions.find((c: any) => c.type === 'Progressing'),
    ).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    expect(deadlineAt).toBeGreaterThan(Date.now());
  });

  it('reports completion', () => {
    const { status, deadlineAt } = deploymentStatus(
      deployment(),
      [rs('new', 4, 4, 4, 4), rs('old', 0, 0, 0, 0)],
      'new',
      'syncing',
    );
    expect(
      status.conditions.find((c: any) => c.type === 'Progressing'),
    ).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(deadlineAt).toBeUndefined();
  });

  it('times out a rollout that made no progress within progressDeadlineSeconds', () => {
    const before = {
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [progressing('ReplicaSetUpdated')],
    };
    const { status, deadlineAt } = deploymentStatus(
      deployment(before),
      [rs('new', 1, 1, 0, 0), rs('old', 3, 3, 3, 3)],
      'new',
      'syncing',
    );
    expect(
      status.conditions.find((c: any) => c.type === 'Progressing'),
    ).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "new" has timed out progressing.',
    });
    expect(
      status.conditions.find((c: any) => c.type === 'Available'),
    ).toMatchObject({ status: 'True' });
    expect(deadlineAt).toBeUndefined();
  });

  it('restarts the deadline clock on progress', () => {
    const before = {
      replicas: 5,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [progressing('ReplicaSetUpdated')],
    };
    const { status } = deploymentStatus(
      deployment(before),
      [rs('new', 2, 2, 1, 1), rs('old', 3, 3, 3, 3)],
      'new',
      'syncing',
    );
    const cond = status.conditions.find((c: any) => c.type === 'Progressing');
    expect(cond).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    expect(Date.parse(cond.lastUpdateTime)).toBeGreaterThan(
      Date.parse(longAgo),
    );
  });
});
