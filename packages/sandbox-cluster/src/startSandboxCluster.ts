import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ApiOperations } from './api/operations';
import { resourceByKind } from './api/resources';
import { ControllerManager } from './controllers/ControllerManager';
import { DeploymentController } from './controllers/deploymentController';
import { EventRecorder } from './controllers/EventRecorder';
import { GarbageCollector } from './controllers/garbageCollector';
import { HpaController } from './controllers/hpaController';
import { ImagePolicy } from './controllers/ImagePolicy';
import { NamespaceController } from './controllers/namespaceController';
import { PodLifecycleController } from './controllers/podLifecycle';
import { PodLogs } from './controllers/PodLogs';
import { ReplicaSetController } from './controllers/replicaSetController';
import { Timers } from './controllers/Timers';
import { ServiceAccountController } from './controllers/serviceAccountController';
import { CertificateController } from './certmanager/certificateController';
import { IssuerController } from './certmanager/issuerController';
import { ImageScans } from './trivy/imageScans';
import { TrivyController } from './trivy/trivyController';
import { seedBootstrapRbac } from './seed/bootstrapRbac';
import { seedSecurity } from './seed/securitySeed';
import { CatalogService } from './seed/readCatalog';
import {
  SYSTEM_NAMESPACES,
  ensureNamespace,
  seedCluster,
} from './seed/seedCluster';
import { createApiServer } from './server/httpServer';
import { PodUsageSource, modelUsage } from './metrics/podMetrics';
import { metricsEndpoint } from './metrics/exposition';
import { CrashLoopController } from './faults/crashLoopController';
import { FaultRegistry } from './faults/FaultRegistry';
import { reactToFaults } from './faults/faultReactions';
import { killOutOfMemory } from './faults/outOfMemory';
import { writeRequestLogs } from './logs/requestLogs';
import { sequence, hash } from './traffic/random';
import { TrafficModel, TrafficOptions } from './traffic/TrafficModel';
import { ObjectStore } from './store/ObjectStore';
import { SandboxTimings, TIMING_PRESETS } from './timings';

/** Options of {@link startSandboxCluster}. */
export interface SandboxClusterOptions {
  /** TCP port; 0 picks a free one. Default 6443. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed from a Backstage catalog (default: the repo's `catalog/`), or `false` for an empty cluster. */
  seed?: { catalogDir?: string } | false;
  /** Overrides of the `fast` preset. */
  timings?: Partial<SandboxTimings>;
  /** Bearer token every request must carry; none means open. */
  token?: string;
  /** A second token that may only read (writes get 403). */
  readOnlyToken?: string;
  /** Image globs whose pulls fail (ImagePullBackOff). Default `*:broken*`. */
  neverReadyImages?: string[];
  /** Image globs whose pods are ready but answer about 30% of requests with 500. Default `*:errors*`. */
  errorImages?: string[];
  /** Image globs whose pods are ready but take 1 s longer for every request. Default `*:slow*`. */
  slowImages?: string[];
  /** Seed, clock and preview probes of the traffic model. */
  traffic?: TrafficOptions;
  /** Receives unexpected internal errors; default `console.error`. */
  onError?: (error: unknown) => void;
}

/** A running sandbox cluster. */
export interface SandboxCluster {
  /** Base URL, e.g. `http://127.0.0.1:6443`; put it in a kubeconfig or Backstage's `kubernetes` config. */
  url: string;
  port: number;
  timings: SandboxTimings;
  /** Services seeded from the catalog. */
  services: CatalogService[];
  /** HTTP requests served so far. */
  readonly requestCount: number;
  store: ObjectStore;
  /** The API's write path with all its rules; controllers of later parts write through it. */
  api: ApiOperations;
  controllers: ControllerManager;
  events: EventRecorder;
  logs: PodLogs;
  /** Replaces what running containers report to metrics.k8s.io (default: the traffic model). */
  setPodUsage(source: PodUsageSource): void;
  /** Injected faults: `faults.add({ kind: 'error-spike', service, rate })`, `remove(id)`, `clear()`. */
  faults: FaultRegistry;
  /** The traffic model: `traffic.setLoadFactor(service, 3)`, `traffic.serviceRps(ns, service)`. */
  traffic: TrafficModel;
  /** What trivy-operator finds per image: `imageScans.set('repo:tag', scan)` (re)writes its reports. */
  imageScans: ImageScans;
  /** A kubeconfig (YAML) pointing at this cluster, context `sandbox`. */
  kubeconfig(): string;
  /** Resolves once every Deployment has all its replicas updated and available. */
  waitForRollouts(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The repo's catalog: two levels above this package's directory. */
export const DEFAULT_CATALOG_DIR = resolve(
  dirname(require.resolve('@nexus-cos/sandbox-cluster/package.json')),
  '../../catalog',
);

/** Starts the Kubernetes API emulator, seeds it, and runs its controllers. */
export async function startSandboxCluster(
  options: SandboxClusterOptions = {},
): Promise<SandboxCluster> {
  const timings = { ...TIMING_PRESETS.fast, ...options.timings };
  const onError =
    options.onError ?? ((e: unknown) => console.error('sandbox-cluster:', e));
  const store = new ObjectStore(timings.watchHistorySize);
  const api = new ApiOperations(store);
  const timers = new Timers();
  const logs = new PodLogs();
  const events = new EventRecorder(api);
  const faults = new FaultRegistry();
  const images = new ImagePolicy(
    {
      neverReady: options.neverReadyImages,
      errors: options.errorImages,
      slow: options.slowImages,
    },
    () => faults.neverReadyImages(),
  );
  const controllers = new ControllerManager(
    {
      ops: api,
      store,
      timings,
      events,
      timers,
      logs,
      images,
    },
    (name, key, error) =>
      onError(
        new Error(
          `controller ${name} failed on ${key}: ${
            (error as Error)?.stack ?? error
          }`,
        ),
      ),
  );
  const ctx = controllers.controllerContext;
  controllers.register(new DeploymentController(ctx));
  controllers.register(new ReplicaSetController(ctx));
  controllers.register(new PodLifecycleController(ctx));
  controllers.register(new GarbageCollector(ctx));
  controllers.register(new NamespaceController(ctx));
  controllers.register(new ServiceAccountController(ctx));
  controllers.register(new IssuerController(ctx));
  const certificates = new CertificateController(ctx);
  controllers.register(certificates);
  const imageScans = new ImageScans();
  controllers.register(new TrivyController(ctx, imageScans));

  const seed = options.traffic?.seed ?? 'nexus-cos';
  const traffic = new TrafficModel(
    store,
    (ns, service) => faults.serviceFaults(ns, service),
    containerImages => images.effect(containerImages),
    // Not inside the model's pass: the restart writes to the store.
    victim => timers.after(0, () => killOutOfMemory(api, logs, victim)),
    { ...options.traffic, seed },
  );
  controllers.register(new HpaController(ctx, uid => traffic.usage(uid)));
  controllers.register(new CrashLoopController(ctx, faults));
  let ticks = 0;
  const tick = setInterval(
    () => writeRequestLogs(logs, traffic.pods(), ticks++),
    timings.trafficTickMs,
  );
  let podUsage: PodUsageSource = modelUsage(uid => traffic.usage(uid));
  const http = createApiServer(
    {
      ops: api,
      logs,
      bookmarkMs: timings.bookmarkMs,
      podUsage: () => podUsage,
    },
    { token: options.token, readOnlyToken: options.readOnlyToken },
    {
      faults,
      traffic,
      metrics: metricsEndpoint(() => traffic.pods()),
      draw: sequence(hash(seed, 'api-faults')),
    },
    onError,
  );
  reactToFaults(faults, store, {
    enqueue: (controller, key) => controllers.enqueue(controller, key),
    closeStreams: () => http.closeStreams(),
  });
  const host = options.host ?? '127.0.0.1';
  let services: CatalogService[] = [];
  try {
    for (const ns of SYSTEM_NAMESPACES) ensureNamespace(api, ns);
    seedBootstrapRbac(api);
    if (options.seed !== false) {
      const dir = options.seed?.catalogDir ?? DEFAULT_CATALOG_DIR;
      if (!existsSync(dir))
        throw new Error(
          `sandbox-cluster: catalog directory ${dir} does not exist`,
        );
      services = seedCluster(api, dir, timings.progressDeadlineSeconds);
      await seedSecurity(
        api,
        services,
        certificates,
        imageScans,
        timings.progressDeadlineSeconds,
      );
    }

    await new Promise<void>((done, fail) => {
      http.server.once('error', fail);
      http.server.listen(options.port ?? 6443, host, () => done());
    });
  } catch (error) {
    // Leave nothing running behind a failed start (bad catalog, port in use).
    controllers.stop();
    timers.stop();
    clearInterval(tick);
    traffic.stop();
    throw error;
  }
  const port = (http.server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    timings,
    services,
    get requestCount() {
      return http.requestCount();
    },
    store,
    api,
    controllers,
    events,
    logs,
    setPodUsage: source => {
      podUsage = source;
    },
    faults,
    traffic,
    imageScans,
    kubeconfig: () => kubeconfigYaml(url, options.token),
    waitForRollouts: timeoutMs => waitForRollouts(api, timeoutMs ?? 30000),
    async stop() {
      controllers.stop();
      timers.stop();
      clearInterval(tick);
      traffic.stop();
      http.closeStreams();
      await new Promise<void>(done => {
        http.server.close(() => done());
        http.server.closeAllConnections();
      });
    },
  };
}

function kubeconfigYaml(url: string, token?: string) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: sandbox`,
    // @kubernetes/client-node refuses plain HTTP unless TLS verification is off.
    `  cluster: {server: "${url}", insecure-skip-tls-verify: true}`,
    'users:',
    `- name: sandbox`,
    `  user: {${token ? `token: "${token}"` : ''}}`,
    'contexts:',
    '- name: sandbox',
    '  context: {cluster: sandbox, user: sandbox, namespace: default}',
    'current-context: sandbox',
    '',
  ].join('\n');
}

async function waitForRollouts(api: ApiOperations, timeoutMs: number) {
  const deployments = resourceByKind('Deployment');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = api.list(deployments).filter(d => {
      const s = d.status ?? {};
      return !(
        s.observedGeneration >= d.metadata.generation! &&
        s.updatedReplicas === d.spec.replicas &&
        s.availableReplicas === d.spec.replicas &&
        s.replicas === d.spec.replicas
      );
    });
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `sandbox-cluster: ${pending.length} deployments still rolling out, e.g. ${pending[0].metadata.namespace}/${pending[0].metadata.name}`,
      );
    }
    await new Promise(r => setTimeout(r, 50));
  }
}
