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
      /**
       * A run's entity lock, and a fleet run's lease on its backend, expire this long after
       * their last heartbeat. Default 60.
       */
      lockTtlSeconds?: number;
      /**
       * How often expired locks are released and their runs ended, and fleet runs whose
       * backend stopped are taken over. Default 30.
       */
      janitorIntervalSeconds?: number;
      /** How often rollouts are polled while waiting for convergence. Default 1000. */
      pollIntervalMs?: number;
    };
    /**
     * Four eyes: changes that wait for a second person's approval before they take the
     * entity's lock and run. The first rule that matches applies; a change no rule
     * matches runs at once.
     */
    approvals?: {
      /** How long a request stays open when its rule says nothing. Default 60. */
      expiresAfterMinutes?: number;
      rules?: Array<{
        /** Shown to approvers and in the audit trail. */
        name: string;
        /** Runbook actions by name, or the fleet's `stop-all` and `start-all`. Default: every state-changing action. */
        actions?: string[];
        /** Input values that must match, e.g. `{ mode: in-place }` for restore. */
        input?: { [field: string]: string | number | boolean };
        /** Which entities; every condition given must hold. */
        entities?: {
          /** `spec.lifecycle`, e.g. "production". */
          lifecycle?: string;
          /** The `nexus-cos.io/tier` annotation: "1", "2" or "3". */
          tier?: string;
          /** Entity kind, e.g. "Domain". */
          kind?: string;
          /** The entity's System, e.g. "system:default/media". */
          system?: string;
        };
        /**
         * Who started the change: "person" (the portal or the API), "scaffolder" (a
         * template step) or "agent" (an MCP call through the actions registry). Default: any.
         */
        initiators?: Array<'person' | 'scaffolder' | 'agent'>;
        approvers?: {
          /** Distinct people needed, never counting the requester. Default 1. */
          count?: number;
          /**
           * "owner" (members of the owning group), "oncall" (its current on-call),
           * "platform-lead", or group refs. Default all three.
           */
          from?: string[];
        };
        /** Overrides `expiresAfterMinutes` for this rule. */
        expiresAfterMinutes?: number;
      }>;
    };

    /**
     * Change freezes: state-changing runs on the entities a freeze covers are refused
     * (409) while it is in force, unless they are emergency changes that name an open P0
     * or P1 incident of the entity and are approved.
     */
    freezes?: Array<{
      name: string;
      /** Shown with the refusal and on the Runbook tab. */
      reason?: string;
      /**
       * A recurring window: an RFC 5545 rule with its DTSTART and time zone, e.g.
       * "DTSTART;TZID=Europe/Berlin:20260102T180000\nRRULE:FREQ=WEEKLY;BYDAY=FR",
       * and `duration`.
       */
      rrule?: string;
      /** ISO 8601 duration of each recurring window, e.g. "PT62H". */
      duration?: string;
      /** A fixed window: ISO 8601 instants with offsets, `start` before `end`. */
      start?: string;
      end?: string;
      /** Default: every entity. */
      scope?: {
        /** Only this System's entities, e.g. "system:default/payments". */
        system?: string;
        /** Only entities of this `nexus-cos.io/tier`: "1", "2" or "3". */
        tier?: string;
      };
    }>;

    /** Fleet runs: start-all, stop-all and diagnostics over a System or the Domain. */
    fleet?: {
      /**
       * Services of one layer of the plan (none depends on another) that run at once.
       * Default 4; 1 to 64.
       */
      parallelism?: number;
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
        /**
         * The daily backup check fails when the newest backup is older than this many
         * hours. Default 24.
         */
        rpoHours?: number;
      };
    };
    /** Backups of DR targets and configuration bundles of services. */
    backup?: {
      /** Where pg_dump and pg_restore are. Default "/usr/lib/postgresql/15/bin". */
      postgresBinDir?: string;
      /**
       * The built-in store (a module may set another through
       * runbookBackupStoreExtensionPoint). Without one, backups answer "no store
       * configured".
       */
      store?: {
        /** A directory the backend may write; created when missing. No default. */
        directory?: string;
      };
      /**
       * After each backup, a target keeps its newest `keepLast` backups and any younger
       * than `keepDays`; the rest are removed and the removal audited.
       */
      retention?: {
        /** Default 7. */
        keepLast?: number;
        /** Default 14. */
        keepDays?: number;
      };
      /**
       * Runs the backend starts itself, once across replicas, audited as
       * `schedule:<id>`: backup, verify-backup (`backupId: latest` for the newest),
       * config-backup and dr-drill. Default none.
       */
      schedules?: Array<{
        /** Lower-case letters, digits and "-"; unique. */
        id: string;
        /** The entity to run on, e.g. "resource:default/nexus-db". */
        entity: string;
        action: 'backup' | 'verify-backup' | 'config-backup' | 'dr-drill';
        /** The action's input. Default {}. */
        input?: { [key: string]: string | number | boolean };
        /**
         * Backstage's task schedule, e.g. { frequency: { cron: "0 2 * * *" },
         * timeout: { minutes: 30 } }.
         */
        schedule: {
          frequency: { cron: string } | { [unit: string]: number } | string;
          timeout: { [unit: string]: number } | string;
          initialDelay?: { [unit: string]: number } | string;
        };
      }>;
    };

    /** The runbook's routine maintenance: daily, weekly and monthly tasks. */
    maintenance?: {
      /** IANA time zone in which days, weeks (from Monday) and months start. Default "UTC". */
      timezone?: string;
      /** Group notified of overdue items of tasks that name no owner. Default none. */
      owner?: string;
      /** How often due checks run and overdue items are looked for. Default 300. */
      checkIntervalSeconds?: number;
      /** How long one check may run. Default 600. */
      checkTimeoutSeconds?: number;
      /** Settings of the built-in checks. */
      checks?: {
        /** capacity: less CPU or memory headroom than this is a finding. Default 20. */
        headroomPercent?: number;
        /** dr-drill-recency: the longest time since a passed drill. Default 31. */
        drillMaxAgeDays?: number;
        /** error-log-review: pod logs read at once. Default 8. */
        logConcurrency?: number;
      };
      /**
       * The calendar. A task with `check` is automated (built in: health-sweep,
       * error-log-review, backup-verification, dr-drill-recency, capacity; modules add
       * more); without one a person ticks it with a note. Default none.
       */
      tasks?: Array<{
        /** Lower-case letters, digits and "-"; unique. Items are `<id>@<period>`. */
        id: string;
        title: string;
        period: 'daily' | 'weekly' | 'monthly';
        check?: string;
        /** Group notified, once, when an item is overdue. */
        owner?: string;
        /** The System the task is for; absent for the whole platform. */
        system?: string;
        /** ISO 8601 duration after the period starts, e.g. "PT10H". Default: the period's end. */
        due?: string;
        /** Automated: ISO 8601 duration after the period starts when it runs. Default "PT0S". */
        runAfter?: string;
      }>;
    };

    // ---- Diagnostics and metric analysis (src/diagnostics, src/analysis) ----

    /**
     * What diagnostics connect to for the Resources that services depend on, by Resource
     * name. The Resource's `nexus-cos.io/dependency-check` says how (postgres or redis).
     */
    dependencies?: {
      [resourceName: string]: {
        /**
         * "postgresql://user:password@host:5432/db" or "redis://host:6379".
         * @visibility secret
         */
        connection: string;
      };
    };
    diagnostics?: {
      /** How long a connection to a dependency may take. Default 5000. */
      dependencyTimeoutMs?: number;
    };
    /**
     * Metric analysis of rolling updates, blue-green deploys (on the preview Service's
     * probe traffic, before any switch) and switches: the new pods are sampled every
     * interval during the health or watch window, and the change is rolled back after
     * `failureLimit` failed samples in a row. Without a metrics provider, readiness only.
     */
    analysis?: {
      /**
       * What a service's golden signals must stay within, in diagnostics and rollouts.
       * A service's `nexus-cos.io/analysis` annotation overrides them, e.g.
       * "errorRatio=0.02,latencyP95Seconds=0.4,baselineFactor=2".
       */
      thresholds?: {
        /** Highest share of 5xx responses. Default 0.05. */
        errorRatio?: number;
        /** Highest p95 latency in seconds. Default 0.5. */
        latencyP95Seconds?: number;
        /**
         * When set, a sample may also reach this multiple of the service's value before
         * the change. Default: none (the limits are absolute).
         */
        baselineFactor?: number;
      };
      /** Seconds between samples. Default 10. */
      intervalSeconds?: number;
      /** Failed samples in a row that abort the change. Default 3. */
      failureLimit?: number;
      /** Rate window of each sample. Default "30s". */
      rateWindow?: string;
      /** How long blue-green-deploy analyses the new colour before it counts as ready. Default 60. */
      previewSeconds?: number;
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
         * {{service}}, {{namespace}}, {{window}} and {{pods}}, which is empty or
         * `,pod=~"<regex>"` to go inside a label matcher: the analysis of a rollout
         * narrows the queries to the new pods with it. Defaults query the contract's metric
         * names (the sandbox's; docs/architecture.md lists them).
         */
        queries?: { [metric: string]: string };
        /**
         * PromQL per metric for every service at once, with the placeholder {{window}}:
         * one series per service, labelled `namespace` and `service` (e.g.
         * `sum by (namespace, service) (rate(http_requests_total[{{window}}]))`). Page
         * views read these, fetched every `cacheSeconds`, and never wait on Prometheus.
         * Defaults match the default `queries`; a metric whose `queries` entry is set
         * without a batch query here is asked per service on page views instead.
         */
        batchQueries?: { [metric: string]: string };
        /** Range of rate() in the default queries. Default "5m". */
        rateWindow?: string;
        /** Timeout of each query. Default 2000. */
        queryTimeoutMs?: number;
        /**
         * How often every service's metrics are fetched in one batch (at least every
         * second), and how long per-service answers are reused. Default 10.
         */
        cacheSeconds?: number;
        /** Resolution of the last hour's series. Default 60. */
        seriesStepSeconds?: number;
      };
    };

    /** On-call: rotations, contacts and escalation chains from the catalog. */
    oncall?: {
      /**
       * How often the organisation (Groups, Users, Systems, Domains, and every entity's
       * owner and System) is read from the catalog for on-call and paging; a change to a
       * rotation shows within this long. Default 30.
       */
      orgRefreshSeconds?: number;
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
