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

    /** The `checklist` action (the runbook's pre-deployment checklist). */
    checklist?: {
      /**
       * Weekly windows in which deployments may start. Default: none configured, and then
       * every time counts as inside one (the evidence says so).
       */
      maintenanceWindows?: Array<{
        /** Days the window starts on: "mon" ... "sun". */
        days: string[];
        /** Local start time, "HH:mm". */
        start: string;
        /** Local end time, "HH:mm"; before `start` means the window crosses midnight. */
        end: string;
        /** IANA time zone. Default "UTC". */
        timezone?: string;
      }>;
    };
    /**
     * DR-drill targets, by the name a Resource's `nexus-cos.io/dr-target` annotation gives.
     * A Resource whose target is missing here answers "DR drill: no target configured".
     */
    drTargets?: {
      [name: string]: {
        /**
         * Connection URL, e.g. "postgresql://user:password@host:5432/nexus_db". The user
         * needs CREATEDB for the scratch database.
         * @visibility secret
         */
        connection: string;
        /** Namespace whose ConfigMap and Secret names the drill lists. Default: none. */
        namespace?: string;
        /** "table.column" whose newest value gives the RPO. Default: detected. */
        rpoColumn?: string;
      };
    };
    backup?: {
      /** Where pg_dump and pg_restore are. Default "/usr/lib/postgresql/15/bin". */
      postgresBinDir?: string;
    };

    // ---- Health, incidents and on-call (src/health, src/incidents, src/oncall) ----

    /** Health: derived status thresholds and the watch cache. */
    health?: {
      /** When a service is degraded. */
      thresholds?: {
        /** Share of requests answered with 5xx above which the error rate is high. Default 0.05. */
        errorRatio?: number;
        /** p99 latency in seconds above which latency is high. Default 1. */
        latencyP99Seconds?: number;
        /** Share (0-1) of the ready pods' CPU or memory limits that is pressure. Default 0.9. */
        resourceUtilization?: number;
        /** Container restarts at which a pod counts as crash-looping. Default 5. */
        restartCount?: number;
        /** Seconds a pod may stay Pending before it counts as not starting. Default 300. */
        podStartSeconds?: number;
      };
      /** The list+watch cache of the cluster services run on. */
      watch?: {
        /** First reconnect delay after a failed watch, doubled up to maxBackoffMs. Default 250. */
        initialBackoffMs?: number;
        /** Default 30000. */
        maxBackoffMs?: number;
        /** The server ends each watch after this long; it is resumed. Default 300. */
        timeoutSeconds?: number;
        /** Newest Kubernetes Events kept. Default 5000. */
        maxEvents?: number;
      };
      /**
       * Per-request reads of a cluster whose credentials only the user holds
       * (authProvider oidc, google, aks, ...), with the token the browser sends.
       */
      userReads?: {
        /** How long one user's read of a namespace is reused, in ms. Default 5000. */
        ttlMs?: number;
        /** Reads kept at most; the oldest go first. Default 1000. */
        maxEntries?: number;
        /** Namespaces read at once by an overview. Default 8. */
        concurrency?: number;
        /** Events listed per namespace. Default 500. */
        maxEvents?: number;
      };
    };

    /** Metrics of the health view. */
    metrics?: {
      /** The built-in Prometheus provider; without `baseUrl` health says "Prometheus not configured". */
      prometheus?: {
        /** Prometheus's address, e.g. "http://127.0.0.1:9090". No default. */
        baseUrl?: string;
        /**
         * PromQL per metric (cpuCores, memoryBytes, diskReadBytesPerSecond,
         * diskWriteBytesPerSecond, networkReceiveBytesPerSecond, networkTransmitBytesPerSecond,
         * requestsPerSecond, errorRatio, latencyP50Seconds, latencyP95Seconds,
         * latencyP99Seconds, activeConnections, transactionsPerSecond, userSessions,
         * revenuePerSecond, uploadsPerSecond, downloadsPerSecond) with the placeholders
         * {{service}}, {{namespace}} and {{window}}. Defaults query the contract's metric
         * names (the sandbox's; docs/architecture.md lists them).
         */
        queries?: { [metric: string]: string };
        /** Range of rate() in the default queries. Default "5m". */
        rateWindow?: string;
        /** Timeout of each query. Default 2000. */
        queryTimeoutMs?: number;
        /** How long answers are reused. Default 10. */
        cacheSeconds?: number;
        /** Resolution of the last hour's series. Default 60. */
        seriesStepSeconds?: number;
      };
    };

    /** Incidents: response targets by severity, the business calendar, escalation, alerts. */
    incidents?: {
      /**
       * Respond-by target per severity: either `respondWithinMinutes` (wall-clock) or
       * `respondWithinBusinessDays` (ends with the working day of the Nth business day after
       * detection). Defaults from the runbook: P0 0 minutes (immediate), P1 15 minutes,
       * P2 120 minutes, P3 1 business day.
       */
      severities?: {
        [severity in 'P0' | 'P1' | 'P2' | 'P3']?: {
          respondWithinMinutes?: number;
          respondWithinBusinessDays?: number;
        };
      };
      /** The working calendar of business-day targets. */
      businessHours?: {
        /** IANA time zone. Default "UTC". */
        timezone?: string;
        /** Local time at which the working day ends, "HH:mm". Default "17:00". */
        end?: string;
        /** ISO weekdays that are working days, 1 = Monday. Default [1, 2, 3, 4, 5]. */
        days?: number[];
        /** Local dates ("2026-12-25") that are not working days. Default none. */
        holidays?: string[];
      };
      /**
       * How often unacknowledged incidents past their respond-by are escalated to the next
       * group of the escalation chain (on one replica at a time). Default 30.
       */
      escalationCheckSeconds?: number;
      /** `POST /alerts/alertmanager`. */
      alertmanager?: {
        /**
         * Severity of incidents opened by alerts whose `severity` label is neither P0-P3 nor
         * critical (P1), error/warning (P2) or info (P3). Default "P2".
         */
        defaultSeverity?: 'P0' | 'P1' | 'P2' | 'P3';
      };
    };

    // ---- Security operations (src/security) ----

    /** Certificates, access review, secret rotation, vulnerability and configuration findings. */
    security?: {
      /** How often the cluster's security state is read again (a sweep; also after each security run). Default 120. */
      refreshIntervalSeconds?: number;
      /** A certificate with fewer days left is a warning and a health reason. Default 30. */
      certificateWarningDays?: number;
      /** An image with more CRITICAL findings than this is a health reason. Default 0. */
      criticalVulnerabilities?: number;
      /** An access review older than this many days is a finding. Default 90. */
      reviewMaxAgeDays?: number;
      /** The overview lists Secrets not rotated (or created) within this many days. Default 90. */
      rotationMaxAgeDays?: number;
      /** Values that rotate-secret and rotate-db-password generate. */
      rotation?: {
        /** Characters to draw from, each once, at least 16, visible ASCII. Default A-Z, a-z, 0-9. */
        alphabet?: string;
        /** Length of a generated value, 16 to 256. Default 32. */
        length?: number;
      };
      /** `POST /vulnerabilities/reports`. */
      vulnerabilityReports?: {
        /** Largest report accepted, in bytes (Trivy reports are often over 64 KiB). Default 10485760 (10 MiB). */
        maxBodyBytes?: number;
      };
      /**
       * The application role that rotate-db-password rotates, per DR target (the name a
       * Resource's `nexus-cos.io/dr-target` gives). The role is changed through
       * `runbook.drTargets.<name>.connection`, which must not sign in as it.
       */
      databasePasswords?: {
        [drTarget: string]: {
          /** The PostgreSQL role, e.g. "nexus_app". */
          role: string;
          /** The Secret its consumers read. */
          secret: {
            namespace: string;
            name: string;
            /** Key holding the role's name, checked against `role`. Default: not checked. */
            usernameKey?: string;
            /** Key holding the password. Default "password". */
            passwordKey?: string;
          };
        };
      };
    };
  };
}
