import {
  ServiceMetrics,
  WorkloadState,
} from '@nexus-cos/plugin-runbook-common';
import { HealthThresholds, deriveHealth } from './deriveHealth';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const thresholds: HealthThresholds = {
  errorRatio: 0.05,
  latencyP99Seconds: 1,
  resourceUtilization: 0.9,
  restartCount: 5,
  podStartSeconds: 300,
};
const noMetrics: ServiceMetrics = { source: 'none', current: {}, series: {} };
const pod = (
  name: string,
  over: Partial<WorkloadState['pods'][number]> = {},
) => ({
  name,
  phase: 'Running',
  ready: true,
  restarts: 0,
  createdAt: '2026-11-27T11:00:00Z',
  ...over,
});
const workload = (
  over: Partial<WorkloadState> = {},
  deployment: Partial<WorkloadState['deployments'][number]> = {},
): WorkloadState => ({
  cluster: 'sandbox',
  namespace: 'nexus-media',
  service: 'media-upload',
  deployments: [
    {
      name: 'media-upload',
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      limits: { cpuCores: 0.5, memoryBytes: 512 * 2 ** 20 },
      ...deployment,
    },
  ],
  pods: [pod('media-upload-a'), pod('media-upload-b')],
  ...over,
});
const metrics = (current: ServiceMetrics['current']): ServiceMetrics => ({
  source: 'prometheus',
  current,
  series: {},
});
const derive = (w: WorkloadState | undefined, m = noMetrics) =>
  deriveHealth(w, m, thresholds, NOW);
const codes = (r: ReturnType<typeof derive>) => r.reasons.map(x => x.code);

describe('deriveHealth', () => {
  it('is healthy when every replica is available and the metrics are within thresholds', () => {
    expect(
      derive(
        workload(),
        metrics({
          errorRatio: 0.01,
          latencyP99Seconds: 0.2,
          memoryBytes: 100 * 2 ** 20,
        }),
      ),
    ).toEqual({
      status: 'healthy',
      reasons: [],
    });
  });

  it('is unknown before the cache has read the cluster, and without a Deployment', () => {
    expect(derive(undefined)).toMatchObject({
      status: 'unknown',
      reasons: [{ code: 'cache-not-synced' }],
    });
    expect(derive(workload({ deployments: [], pods: [] }))).toMatchObject({
      status: 'unknown',
      reasons: [
        {
          code: 'not-deployed',
          message: expect.stringContaining(
            'backstage.io/kubernetes-id=media-upload in nexus-media',
          ),
        },
      ],
    });
  });

  it('is unknown, saying why, when the cluster cannot be read', () => {
    const why = {
      code: 'cluster-auth-required' as const,
      message: 'Cluster prod is read with your own oidc.okta credentials',
    };
    expect(deriveHealth(workload(), noMetrics, thresholds, NOW, why)).toEqual({
      status: 'unknown',
      reasons: [{ ...why, status: 'unknown' }],
    });
  });

  it('is down with a P0 suggestion when no replica is available', () => {
    const r = derive(workload({}, { availableReplicas: 0, readyReplicas: 0 }));
    expect(r.status).toBe('down');
    expect(r.reasons[0]).toMatchObject({
      code: 'replicas-unavailable',
      message: '0 of 2 replicas available',
      suggestedSeverity: 'P0',
      checklist: { title: 'Service Down' },
    });
    expect(r.reasons[0].checklist!.steps[0]).toEqual({
      title: 'Check pod status',
      command: 'kubectl get pods -n nexus-media -l app=media-upload',
    });
  });

  it('is degraded when some replicas are unavailable', () => {
    const r = derive(workload({}, { availableReplicas: 1 }));
    expect(r).toMatchObject({
      status: 'degraded',
      reasons: [{ code: 'replicas-unavailable', suggestedSeverity: 'P2' }],
    });
  });

  it('is down when stopped', () => {
    expect(
      derive(workload({ pods: [] }, { replicas: 0, availableReplicas: 0 })),
    ).toMatchObject({
      status: 'down',
      reasons: [{ code: 'stopped', suggestedSeverity: 'P3' }],
    });
  });

  it('reports a stuck rollout and pods that cannot pull their image', () => {
    const r = derive(
      workload(
        {
          pods: [
            pod('media-upload-a'),
            pod('media-upload-b'),
            pod('media-upload-c', {
              phase: 'Pending',
              ready: false,
              waitingReason: 'ImagePullBackOff',
            }),
          ],
        },
        { progressing: 'ProgressDeadlineExceeded' },
      ),
    );
    expect(r.status).toBe('degraded');
    expect(codes(r)).toEqual(['rollout-stuck', 'pods-not-starting']);
    expect(r.reasons[1]).toMatchObject({
      message: '1 pod(s) not starting: media-upload-c (ImagePullBackOff)',
      checklist: { title: 'Pods Not Starting' },
    });
  });

  it('counts a pod pending past the start timeout as not starting, but not a young one', () => {
    const young = pod('young', {
      phase: 'Pending',
      ready: false,
      createdAt: '2026-11-27T11:59:00Z',
    });
    const old = pod('old', {
      phase: 'Pending',
      ready: false,
      createdAt: '2026-11-27T11:50:00Z',
    });
    expect(
      codes(derive(workload({ pods: [pod('a'), pod('b'), young] }))),
    ).toEqual([]);
    expect(
      codes(derive(workload({ pods: [pod('a'), pod('b'), old] }))),
    ).toEqual(['pods-not-starting']);
  });

  it('reports crash loops by waiting reason or restart count', () => {
    const r = derive(
      workload({
        pods: [
          pod('a', { waitingReason: 'CrashLoopBackOff', ready: false }),
          pod('b', { restarts: 5 }),
        ],
      }),
    );
    expect(r.reasons).toEqual([
      expect.objectContaining({
        code: 'pods-crash-looping',
        message: '2 pod(s) crash-looping: a, b',
        suggestedSeverity: 'P1',
      }),
    ]);
    expect(
      codes(derive(workload({ pods: [pod('a', { restarts: 4 }), pod('b')] }))),
    ).toEqual([]);
  });

  it('reports a high error rate with the runbook checklist', () => {
    const r = derive(workload(), metrics({ errorRatio: 0.12 }));
    expect(r.status).toBe('degraded');
    expect(r.reasons[0]).toMatchObject({
      code: 'high-error-rate',
      message: 'Error rate 12.0% is above 5.0%',
      suggestedSeverity: 'P1',
    });
    expect(r.reasons[0].checklist!.steps.map(s => s.title)).toEqual([
      'Check service logs',
      'Check dependencies (database, Redis, etc.)',
      'Review recent deployments',
      'Scale up if needed',
      'Escalate if unresolved in 15 minutes',
    ]);
    expect(codes(derive(workload(), metrics({ errorRatio: 0.05 })))).toEqual(
      [],
    );
  });

  it('reports high latency', () => {
    expect(
      derive(workload(), metrics({ latencyP99Seconds: 2.5 })).reasons[0],
    ).toMatchObject({
      code: 'high-latency',
      message: 'p99 latency 2.500 s is above 1 s',
      checklist: { title: 'High Latency' },
    });
  });

  it('reports resource pressure against the ready pods limits', () => {
    // Two ready pods with 512 MiB limits each: 1000 MiB is 98%.
    const r = derive(
      workload(),
      metrics({ memoryBytes: 1000 * 2 ** 20, cpuCores: 0.2 }),
    );
    expect(r.reasons).toEqual([
      expect.objectContaining({
        code: 'resource-pressure',
        message: 'memory at 98% of limits',
        checklist: expect.objectContaining({ title: 'High Memory Usage' }),
      }),
    ]);
  });

  it('takes the worst status of all reasons', () => {
    const r = derive(
      workload({}, { availableReplicas: 0 }),
      metrics({ errorRatio: 1 }),
    );
    expect(r.status).toBe('down');
    expect(codes(r)).toEqual(['replicas-unavailable', 'high-error-rate']);
  });

  it('reports expiring and expired certificates and images above the CRITICAL threshold', () => {
    const r = deriveHealth(workload(), noMetrics, thresholds, NOW, undefined, {
      certificates: [
        { name: 'media-upload', daysLeft: 9, status: 'warning' },
        { name: 'media-upload-old', daysLeft: -2, status: 'expired' },
      ],
      vulnerabilities: [{ image: 'nexus-cos/media-upload:1.0.0', critical: 3 }],
      criticalThreshold: 0,
      warningDays: 30,
    });
    expect(r.status).toBe('degraded');
    expect(
      r.reasons.map(x => [x.code, x.message, x.suggestedSeverity]),
    ).toEqual([
      [
        'certificate-expired',
        'Certificate media-upload-old has expired: TLS clients refuse it',
        'P1',
      ],
      [
        'certificate-expiring',
        'Certificate media-upload expires in 9 day(s) (warning below 30 days)',
        'P3',
      ],
      [
        'critical-vulnerabilities',
        'nexus-cos/media-upload:1.0.0 has 3 CRITICAL (more than 0)',
        'P2',
      ],
    ]);
    expect(r.reasons[1].checklist?.steps[0]).toEqual({
      title: 'Check certificate expiry',
      command: 'kubectl get certificates -n nexus-media',
    });
    const quiet = deriveHealth(
      workload(),
      noMetrics,
      thresholds,
      NOW,
      undefined,
      {
        certificates: [],
        vulnerabilities: [],
        criticalThreshold: 0,
        warningDays: 30,
      },
    );
    expect(quiet).toEqual({ status: 'healthy', reasons: [] });
  });
});
