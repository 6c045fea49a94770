export interface Config {
  /** Runbook actions engine. */
  runbook?: {
    /**
     * Name of the cluster (from `kubernetes.clusterLocatorMethods[].clusters[]`) that
     * runbook actions act on. Defaults to the first cluster of type `config`.
     */
    cluster?: string;
    /** Limits used where an entity's annotations say nothing. */
    defaults?: {
      /** Replica range for scale, start and the autoscaler. Default 1-10. */
      replicas?: {
        /** Default 1. */
        min?: number;
        /** Default 10. */
        max?: number;
      };
      /** Image repository allowed when `nexus-cos.io/image-repository` is absent. Default: any. */
      imageRepository?: string;
      /** Ceilings of set-resources. */
      resources?: {
        /** Default "4" (cores). */
        maxCpu?: string;
        /** Default "8Gi". */
        maxMemory?: string;
      };
      /** How long a rollout may take before it is rolled back. Default 300. */
      rolloutTimeoutSeconds?: number;
      /** Post-rollout health window of set-image. Default 0. */
      healthWindowSeconds?: number;
      /** Watch window after a blue-green switch. Default 300. */
      blueGreenMonitorSeconds?: number;
    };
    /** Stricter limits for entities with `spec.lifecycle: production`. */
    production?: {
      /** Lowest replica count production services may be scaled to. Default 2. */
      minReplicas?: number;
      /** Post-rollout health window of set-image. Default 60. */
      healthWindowSeconds?: number;
    };
    engine?: {
      /** A run's entity lock expires this long after its last heartbeat. Default 60. */
      lockTtlSeconds?: number;
      /** How often expired locks are released and their runs ended. Default 30. */
      janitorIntervalSeconds?: number;
      /** How often rollouts are polled while waiting for convergence. Default 1000. */
      pollIntervalMs?: number;
    };
    audit?: {
      /** The chain head is anchored through the logger and auditor every N events. Default 100. */
      anchorEvery?: number;
      /** ...and at least this often when events were added. Default 900. */
      anchorIntervalSeconds?: number;
    };
  };
}
