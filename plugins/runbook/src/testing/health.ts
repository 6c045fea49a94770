import {
  RESPONSE_CHECKLISTS,
  ServiceHealth,
} from '@nexus-cos/plugin-runbook-common';
import { fakeRunbookApi, resolution, SERVICE_REF } from './fakeRunbookApi';

const T0 = 1_795_000_000;

/** Three samples a minute apart, ending at `last`. */
const series = (first: number, last: number): Array<[number, number]> => [
  [T0, first],
  [T0 + 60, (first + last) / 2],
  [T0 + 120, last],
];

/** media-upload degraded by a high error rate, with metrics and two pods. */
export function degradedHealth(
  changes: Partial<ServiceHealth> = {},
): ServiceHealth {
  return {
    entityRef: SERVICE_REF,
    status: 'degraded',
    reasons: [
      {
        code: 'high-error-rate',
        status: 'degraded',
        message: 'Error rate 7.5 % is above 5 %',
        checklist: RESPONSE_CHECKLISTS.highErrorRate({
          namespace: 'nexus-media',
          service: 'media-upload',
        }),
        suggestedSeverity: 'P1',
      },
    ],
    workload: {
      cluster: 'sandbox',
      namespace: 'nexus-media',
      service: 'media-upload',
      deployments: [
        {
          name: 'media-upload',
          replicas: 3,
          readyReplicas: 2,
          availableReplicas: 2,
          updatedReplicas: 3,
          progressing: 'ReplicaSetUpdated',
        },
      ],
      pods: [
        {
          name: 'media-upload-7d9f-abcde',
          phase: 'Running',
          ready: true,
          restarts: 0,
          createdAt: '2026-11-26T08:00:00Z',
        },
        {
          name: 'media-upload-7d9f-fghij',
          phase: 'Running',
          ready: false,
          restarts: 4,
          waitingReason: 'CrashLoopBackOff',
          createdAt: '2026-11-26T09:30:00Z',
        },
      ],
    },
    metrics: {
      source: 'prometheus',
      current: {
        requestsPerSecond: 42.3,
        errorRatio: 0.075,
        latencyP50Seconds: 0.04,
        latencyP95Seconds: 0.2,
        latencyP99Seconds: 0.45,
        cpuCores: 0.35,
        memoryBytes: 268_435_456,
        uploadsPerSecond: 1.5,
      },
      series: {
        requestsPerSecond: series(40, 42.3),
        errorRatio: series(0.01, 0.075),
        latencyP50Seconds: series(0.03, 0.04),
        latencyP95Seconds: series(0.1, 0.2),
        latencyP99Seconds: series(0.3, 0.45),
        cpuCores: series(0.3, 0.35),
        memoryBytes: series(250_000_000, 268_435_456),
        uploadsPerSecond: series(1, 1.5),
      },
    },
    observedAt: '2026-11-26T10:00:00Z',
    ...changes,
  };
}

/** media-upload healthy, on a backend without Prometheus. */
export function healthyWithoutMetrics(): ServiceHealth {
  return degradedHealth({
    status: 'healthy',
    reasons: [],
    metrics: {
      source: 'none',
      unavailable: 'metrics: Prometheus not configured',
      current: {},
      series: {},
    },
  });
}

/** A backend serving degradedHealth() with no events and an empty log, unless changed. */
export const healthApi = (changes: Parameters<typeof fakeRunbookApi>[0] = {}) =>
  fakeRunbookApi({
    getHealth: jest.fn(async () => degradedHealth()),
    getRunbook: jest.fn(async () => resolution()),
    getEvents: jest.fn(async () => ({ items: [] })),
    getLogs: jest.fn(async (_ref, options) => ({
      pod: 'media-upload-7d9f-abcde',
      lines: [],
      errorsOnly: Boolean(options?.errorsOnly),
    })),
    ...changes,
  });
