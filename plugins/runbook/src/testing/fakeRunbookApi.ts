import {
  ClusterAuth,
  Run,
  RunbookClient,
  RunbookResolution,
  ServiceHealth,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookApi } from '../api';

/** A RunbookApi whose every method is a jest mock; unset ones fail the test if called. */
export function fakeRunbookApi(
  overrides: Partial<Record<keyof RunbookApi, jest.Mock>> = {},
): { [K in keyof RunbookApi]: jest.Mock } {
  const defaults: Partial<Record<keyof RunbookApi, jest.Mock>> = {
    listRuns: jest.fn(async () => ({ items: [] })),
    getRunLog: jest.fn(async () => ({ items: [] })),
  };
  const methods = Object.getOwnPropertyNames(RunbookClient.prototype).filter(
    (name): name is keyof RunbookApi => name !== 'constructor',
  );
  return Object.fromEntries(
    methods.map(name => [
      name,
      overrides[name] ??
        defaults[name] ??
        jest.fn(async () => {
          throw new Error(`unexpected call to ${name}`);
        }),
    ]),
  ) as { [K in keyof RunbookApi]: jest.Mock };
}

export const SERVICE_REF = 'component:default/media-upload';

/** media-upload as the engine resolves it: every action allowed unless changed. */
export function resolution(
  changes: Partial<RunbookResolution> = {},
): RunbookResolution {
  return {
    entityRef: SERVICE_REF,
    cluster: 'sandbox',
    namespace: 'nexus-media',
    service: 'media-upload',
    production: false,
    limits: {
      replicas: { min: 2, max: 10 },
      imageRepository: 'nexus-cos/media-upload',
      resources: { maxCpu: '2', maxMemory: '4Gi' },
      rolloutTimeoutSeconds: 300,
      healthWindowSeconds: 60,
      blueGreenMonitorSeconds: 120,
    },
    actions: [
      { action: 'scale', allowed: true },
      { action: 'restart', allowed: true },
      { action: 'set-image', allowed: true },
    ],
    live: {
      colour: 'blue',
      deployment: 'media-upload',
      replicas: 3,
      readyReplicas: 3,
      image: 'nexus-cos/media-upload:1.4.0',
      autoscaled: false,
    },
    ...changes,
  };
}

/** A run of media-upload, started by alice. */
export function run(changes: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    entityRef: SERVICE_REF,
    action: 'scale',
    input: { replicas: 4 },
    status: 'running',
    actor: 'user:default/alice',
    createdAt: '2026-11-26T10:00:00Z',
    startedAt: '2026-11-26T10:00:01Z',
    ...changes,
  };
}

/** A cluster whose credentials only the user holds, read with their Okta token. */
export const OKTA_CLUSTER: ClusterAuth = {
  cluster: 'okta-prod',
  authProvider: 'oidc.okta',
};

/** media-upload's health on {@link OKTA_CLUSTER} before the user's token is sent. */
export function clusterAuthRequiredHealth(): ServiceHealth {
  return {
    entityRef: SERVICE_REF,
    status: 'unknown',
    reasons: [
      {
        code: 'cluster-auth-required',
        status: 'unknown',
        message:
          'Cluster okta-prod is read with your own oidc.okta sign-in, and this request brought none: sign in to oidc.okta to see its workload (API callers: the Backstage-Kubernetes-Authorization-oidc-okta header)',
      },
    ],
    metrics: { source: 'none', current: {}, series: {} },
    clusterAuth: OKTA_CLUSTER,
  };
}
