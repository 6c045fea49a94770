/** How fast the simulated cluster moves. Every delay is in milliseconds unless named otherwise. */
export interface SandboxTimings {
  /** A new pod waits this long to be assigned to a node. */
  scheduleMs: number;
  /** Pulling the image and starting the containers. */
  startMs: number;
  /** From running to passing its readiness probe. */
  readinessMs: number;
  /** Multiplies grace periods (`gracePeriodSeconds`) before a terminating pod disappears. */
  gracePeriodScale: number;
  /** Controllers re-check every object this often (progress deadlines, missed wakeups). */
  resyncMs: number;
  /** Interval of BOOKMARK events on watches that allow them. */
  bookmarkMs: number;
  /** Changes kept for resuming watches; older resourceVersions get 410 Gone. */
  watchHistorySize: number;
  /** `progressDeadlineSeconds` of the seeded Deployments. */
  progressDeadlineSeconds: number;
  /** The traffic model integrates its counters and writes request logs this often. */
  trafficTickMs: number;
  /** The HPA controller evaluates each autoscaler this often (kube-controller-manager: 15 s). */
  hpaSyncMs: number;
  /** An HPA scales down to the highest recommendation of this window (Kubernetes: 5 min). */
  hpaDownscaleStabilizationMs: number;
  /** A crash-looping container is restarted (and crashes again) this often. */
  crashLoopBackOffMs: number;
}

/** Presets: `fast` for tests, `realistic` for demos and local development. */
export const TIMING_PRESETS: Record<'fast' | 'realistic', SandboxTimings> = {
  fast: {
    scheduleMs: 10,
    startMs: 40,
    readinessMs: 200,
    gracePeriodScale: 0.01,
    resyncMs: 250,
    bookmarkMs: 1000,
    watchHistorySize: 10000,
    progressDeadlineSeconds: 600,
    trafficTickMs: 250,
    hpaSyncMs: 500,
    hpaDownscaleStabilizationMs: 3000,
    crashLoopBackOffMs: 500,
  },
  realistic: {
    scheduleMs: 300,
    startMs: 2000,
    readinessMs: 5000,
    // Real services exit on SIGTERM well before their grace period ends.
    gracePeriodScale: 0.1,
    resyncMs: 1000,
    bookmarkMs: 60000,
    watchHistorySize: 10000,
    progressDeadlineSeconds: 600,
    trafficTickMs: 1000,
    hpaSyncMs: 15000,
    hpaDownscaleStabilizationMs: 300000,
    crashLoopBackOffMs: 10000,
  },
};
