import { NotFoundError } from '@backstage/errors';
import { liveStateFromCache } from './liveState';
import {
  slimDeployment,
  slimHpa,
  slimPod,
  slimReplicaSet,
  slimService,
} from './slim';

const target = {
  entityRef: 'component:default/pay',
  cluster: 'sandbox',
  namespace: 'ns',
  service: 'pay',
};
const labels = (version: string) => ({
  app: 'pay',
  version,
  'backstage.io/kubernetes-id': 'pay',
});
const deployment = (
  name: string,
  version: string,
  extra: {
    annotations?: Record<string, string>;
    replicas?: number;
    paused?: boolean;
  } = {},
) =>
  slimDeployment({
    metadata: {
      name,
      namespace: 'ns',
      labels: labels(version),
      annotations: extra.annotations,
    },
    spec: {
      replicas: extra.replicas ?? 2,
      paused: extra.paused,
      selector: { matchLabels: { app: 'pay', version } },
      template: {
        spec: {
          containers: [
            { name: 'sidecar', image: 'envoy:1' },
            { name: 'pay', image: `pay:${version}` },
          ],
        },
      },
    },
    status: { readyReplicas: 1 },
  });
const service = (version?: string) =>
  slimService({
    metadata: { name: 'pay', namespace: 'ns' },
    spec: { selector: { app: 'pay', ...(version ? { version } : {}) } },
  });
const replicaSet = (
  name: string,
  revision: string,
  owner: string | undefined,
  version = 'blue',
) =>
  slimReplicaSet({
    metadata: {
      name,
      namespace: 'ns',
      labels: labels(version),
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: owner
        ? [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner, uid: '' }]
        : [],
    },
    spec: { replicas: 0, selector: {} },
  });
const hpa = (targetName: string, namespace = 'ns') =>
  slimHpa({
    metadata: { name: 'pay', namespace },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: targetName },
      maxReplicas: 4,
    },
  });
const pod = (name: string, svc = 'pay') =>
  slimPod({
    metadata: {
      name,
      namespace: 'ns',
      labels: { 'backstage.io/kubernetes-id': svc },
    },
  });
const empty = {
  services: [],
  deployments: [],
  replicaSets: [],
  hpas: [],
  pods: [],
};

describe('liveStateFromCache', () => {
  it('takes the live colour from the Service selector and the other as idle', () => {
    const cached = {
      ...empty,
      services: [service('green')],
      deployments: [
        deployment('pay', 'blue'),
        deployment('pay-green', 'green', { replicas: 3 }),
      ],
    };
    expect(liveStateFromCache(target, cached)).toEqual({
      live: {
        colour: 'green',
        deployment: 'pay-green',
        replicas: 3,
        readyReplicas: 1,
        image: 'pay:green',
      },
      idle: {
        colour: 'blue',
        deployment: 'pay',
        replicas: 2,
        readyReplicas: 1,
        image: 'pay:blue',
      },
      autoscaled: false,
      stoppedReplicas: undefined,
      revisions: [],
      pods: [],
      paused: false,
    });
  });

  it('is blue without a Service or a version, with no idle colour when green does not exist', () => {
    for (const services of [[], [service()]]) {
      const live = liveStateFromCache(target, {
        ...empty,
        services,
        deployments: [deployment('pay', 'blue')],
      });
      expect(live.live.colour).toBe('blue');
      expect(live.idle).toBeUndefined();
    }
  });

  it('throws NotFoundError when the live colour has no Deployment', () => {
    const read = () =>
      liveStateFromCache(target, {
        ...empty,
        services: [service('green')],
        deployments: [deployment('pay', 'blue')],
      });
    expect(read).toThrow(NotFoundError);
    expect(read).toThrow(
      'Deployment pay-green (the live green colour) does not exist in ns on sandbox',
    );
  });

  it('is autoscaled only by an HPA on the live Deployment in its namespace', () => {
    const state = (hpas: ReturnType<typeof hpa>[]) =>
      liveStateFromCache(target, {
        ...empty,
        deployments: [
          deployment('pay', 'blue'),
          deployment('pay-green', 'green'),
        ],
        hpas,
      }).autoscaled;
    expect(state([hpa('pay')])).toBe(true);
    expect(state([hpa('pay-green')])).toBe(false);
    expect(state([hpa('pay', 'elsewhere')])).toBe(false);
  });

  it('reads the replica count a stop remembered', () => {
    const live = liveStateFromCache(target, {
      ...empty,
      deployments: [
        deployment('pay', 'blue', {
          replicas: 0,
          annotations: { 'nexus-cos.io/stopped-replicas': '4' },
        }),
      ],
    });
    expect([live.live.replicas, live.stoppedReplicas]).toEqual([0, 4]);
  });

  it("reads whether the live Deployment's rollout is paused", () => {
    const paused = (blue: boolean, green: boolean) =>
      liveStateFromCache(target, {
        ...empty,
        services: [service('green')],
        deployments: [
          deployment('pay', 'blue', { paused: blue }),
          deployment('pay-green', 'green', { paused: green }),
        ],
      }).paused;
    expect([paused(true, false), paused(false, true)]).toEqual([false, true]);
  });

  it('lists revisions of ReplicaSets the live Deployment owns, sorted', () => {
    const live = liveStateFromCache(target, {
      ...empty,
      deployments: [
        deployment('pay', 'blue'),
        deployment('pay-green', 'green'),
      ],
      replicaSets: [
        replicaSet('pay-3', '3', 'pay'),
        replicaSet('pay-1', '1', 'pay'),
        replicaSet('green-2', '2', 'pay-green', 'green'),
        replicaSet('pay-x', 'x', 'pay'),
        // No owner reference: the live Deployment's selector decides.
        replicaSet('orphan-blue', '5', undefined),
        replicaSet('orphan-green', '6', undefined, 'green'),
      ],
    });
    expect(live.revisions).toEqual([1, 3, 5]);
  });

  it('names the pods of the service only', () => {
    const live = liveStateFromCache(target, {
      ...empty,
      deployments: [deployment('pay', 'blue')],
      pods: [pod('pay-a'), pod('other-a', 'other'), pod('pay-b')],
    });
    expect(live.pods).toEqual(['pay-a', 'pay-b']);
  });
});
