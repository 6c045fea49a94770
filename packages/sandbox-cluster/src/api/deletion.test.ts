import { planDeletion } from './deletion';
import { resourceByKind } from './resources';
import { KubeObject } from '../store/types';

const pod = (
  extra: Partial<KubeObject['metadata']> = {},
  nodeName?: string,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', ...extra },
  spec: { nodeName, terminationGracePeriodSeconds: 30, containers: [] },
});
const PODS = resourceByKind('Pod');
const DEPLOYMENTS = resourceByKind('Deployment');

describe('planDeletion', () => {
  it('terminates scheduled pods gracefully and removes unscheduled ones at once', () => {
    const graceful = planDeletion(PODS, pod({}, 'node-1'), {});
    expect(graceful).toMatchObject({
      action: 'mark',
      object: {
        metadata: {
          deletionGracePeriodSeconds: 30,
          deletionTimestamp: expect.any(String),
        },
      },
    });
    expect(
      planDeletion(PODS, pod({}, 'node-1'), { gracePeriodSeconds: 60 }),
    ).toMatchObject({
      object: { metadata: { deletionGracePeriodSeconds: 60 } },
    });
    expect(planDeletion(PODS, pod(), {})).toEqual({ action: 'remove' });
    expect(
      planDeletion(PODS, pod({}, 'node-1'), { gracePeriodSeconds: 0 }),
    ).toEqual({ action: 'remove' });
  });

  it('lets a forced delete cut a termination short, and ignores a repeated graceful one', () => {
    const terminating = pod(
      { deletionTimestamp: '2026-01-01T00:00:00Z' },
      'node-1',
    );
    expect(planDeletion(PODS, terminating, {})).toEqual({ action: 'none' });
    expect(planDeletion(PODS, terminating, { gracePeriodSeconds: 0 })).toEqual({
      action: 'remove',
    });
  });

  it('waits on finalizers for foreground and orphan propagation and for namespaces', () => {
    const d: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns' },
    };
    expect(planDeletion(DEPLOYMENTS, d, {})).toEqual({ action: 'remove' });
    expect(
      planDeletion(DEPLOYMENTS, d, { propagationPolicy: 'Foreground' }),
    ).toMatchObject({
      action: 'mark',
      object: { metadata: { finalizers: ['foregroundDeletion'] } },
    });
    expect(
      planDeletion(DEPLOYMENTS, d, { propagationPolicy: 'Orphan' }),
    ).toMatchObject({ object: { metadata: { finalizers: ['orphan'] } } });
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ns' },
    };
    expect(planDeletion(resourceByKind('Namespace'), ns, {})).toMatchObject({
      object: {
        metadata: { finalizers: ['kubernetes'] },
        status: { phase: 'Terminating' },
      },
    });
  });
});
